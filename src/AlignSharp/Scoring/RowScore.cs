namespace AlignSharp.Scoring;

/// <summary>
/// Scores of one row's completion under the model: the log-probability of each completion token
/// (natural log, fp32 softmax), their sum (the sequence log-probability) and how many there are.
/// Prompt and padding positions never count.
/// </summary>
public sealed record RowScore(float[] TokenLogProbs, double SumLogProb, int TokenCount);
