namespace AlignSharp.Generation;

/// <summary>
/// One generated row. <see cref="TokenIds"/> are the sampled tokens, the stop token included when
/// the row ended on one, and for a stop string up to the token that completed it.
/// <see cref="LogProbs"/>[i] is log p(TokenIds[i]) under the model's unmodified distribution
/// (temperature 1, no top-k/top-p filtering, fp32 softmax), whatever the sampling settings: the
/// quantity RL objectives need. <see cref="Text"/> (when a tokenizer was given) is decoded with special
/// tokens skipped, without the stop token, and cut right before a matched stop string.
/// </summary>
/// <see cref="SamplingLogProbs"/>[i] is the same with the logits divided by the temperature (still no top-k/top-p), as
/// TRL and verl recompute it in training: what the sampler's and the trainer's log-probs are compared on. Under greedy
/// decoding or temperature 1 it equals <see cref="LogProbs"/>.
public sealed record GeneratedSequence(int[] TokenIds, float[] LogProbs, FinishReason FinishReason, string? Text)
{
    public float[] SamplingLogProbs { get; init; } = LogProbs;
}
