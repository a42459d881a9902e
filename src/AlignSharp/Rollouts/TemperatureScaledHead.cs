using AlignSharp.Modeling;
using static TorchSharp.torch;

namespace AlignSharp.Rollouts;

/// <summary>
/// A causal LM whose logits are divided by the sampling temperature, so log-probs recomputed for training are those
/// of the distribution the completions were sampled from (TRL, verl and torchtune all do this; without it the ratio to
/// the sampler is not 1 at the first update). Only the projection changes; the body is the model's.
/// </summary>
public sealed class TemperatureScaledHead(ICausalLM model, double temperature) : ICausalLM
{
    public long VocabSize => model.VocabSize;

    public int LayerCount => model.LayerCount;

    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null) =>
        model.Hidden(inputIds, attentionMask, positionIds, cache);

    public Tensor Logits(Tensor hidden) => temperature == 1.0 ? model.Logits(hidden) : model.Logits(hidden) / temperature;
}
