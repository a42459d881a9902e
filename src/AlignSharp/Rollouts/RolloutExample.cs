using AlignSharp.Data;

namespace AlignSharp.Rollouts;

/// <summary>
/// One sampled completion as a training example. <see cref="Sequence"/> is prompt + completion; its loss mask is true
/// on the completion's tokens up to and including the first stop token (the stop token is trained, so the model learns
/// to stop), built from the completion's length, never from comparing ids with the pad id (the pad id may be EOS); it
/// is all false for a truncated completion when mask_truncated_completions is on. Per-token arrays are aligned with the
/// completion's tokens.
/// </summary>
/// <param name="Sequence">Prompt then completion ids, with the loss mask described above.</param>
/// <param name="PromptIndex">Index of the prompt in the prompt set.</param>
/// <param name="Group">Index of the prompt within its generation: the completions of one group share a prompt.</param>
/// <param name="Completion">The completion's text as decoded for the rewards (special tokens skipped, stop token left out).</param>
/// <param name="Truncated">The completion reached max_completion_length without a stop token.</param>
/// <param name="Reward">The total reward (weighted sum of the reward functions).</param>
/// <param name="Advantage">What the objective weights this completion's log-prob by.</param>
/// <param name="SamplingLogProbs">log p of each completion token under the sampler (temperature applied), from generation.</param>
/// <param name="OldLogProbs">
/// The same under the policy as it was when sampled, recomputed by a training forward pass; null when this example's update
/// is the first since sampling (then the ratio's denominator is the current log-prob, detached: exactly 1).
/// </param>
/// <param name="RefLogProbs">Under the reference (temperature applied); null when no reference is used (beta = 0).</param>
public sealed record RolloutExample(
    TokenizedSequence Sequence,
    int PromptIndex,
    int Group,
    string Completion,
    bool Truncated,
    double Reward,
    double Advantage,
    float[] SamplingLogProbs,
    float[]? OldLogProbs,
    float[]? RefLogProbs)
{
    public int CompletionLength => Sequence.CompletionLength;

    /// <summary>Tokens that count in the loss (0 for a masked truncated completion).</summary>
    public int LossTokens => Sequence.LossTokenCount;
}
