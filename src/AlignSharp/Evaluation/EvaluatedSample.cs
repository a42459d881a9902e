namespace AlignSharp.Evaluation;

/// <summary>
/// One held-out completion: its true reward and, when a reference was given, log π(y|x) − log π_ref(y|x)
/// summed over the completion's tokens (EOS included when the policy produced it).
/// </summary>
public sealed record EvaluatedSample(string Prompt, string Completion, double Reward, double? LogRatio);
