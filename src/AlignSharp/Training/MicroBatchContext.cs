namespace AlignSharp.Training;

/// <summary>
/// Where a micro-batch sits in its optimizer step, and the totals of that whole step, which the
/// objective divides by so that gradient accumulation reproduces the full-batch gradient.
/// </summary>
/// <param name="Step">1-based number of the optimizer step this micro-batch contributes to (the step that gets logged).</param>
/// <param name="MicroBatch">0-based index of this micro-batch within the step.</param>
/// <param name="MicroBatches">Micro-batches in this step (fewer than gradient_accumulation_steps at an epoch's end).</param>
/// <param name="StepExamples">Examples in the whole step: the normaliser of a per-sequence or per-pair mean.</param>
/// <param name="StepTokens">Tokens in the whole step (see <see cref="TrainingObjective{TExample}.Tokens"/>).</param>
/// <param name="StepLossTokens">Loss tokens in the whole step: the normaliser of a token mean (SFT's TokenMean).</param>
public sealed record MicroBatchContext(int Step, int MicroBatch, int MicroBatches, int StepExamples, long StepTokens, long StepLossTokens);
