namespace AlignSharp.Objectives;

/// <summary>
/// The totals a policy-gradient loss of one micro-batch is normalised by, so that the micro-batches of an optimizer
/// step add up to the loss of the whole step (the loop's contract): the step's completions and trained tokens, its
/// micro-batch count, and max_completion_length (Dr. GRPO's constant).
/// </summary>
public sealed record PolicyGradientNormaliser(int StepCompletions, long StepLossTokens, int MicroBatches, int MaxCompletionLength);
