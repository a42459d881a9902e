using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// y = x·Wᵀ + b with W stored [out, in] as in torch.nn.Linear. Parameters start uninitialised
/// (they are either loaded or set by <see cref="WeightInitializer"/>), so building a large model costs no random init.
/// Parameters are looked up by name on use because <c>Module.to(dtype)</c> replaces them.
/// </summary>
public sealed class LinearLayer : NamedModule, IProjection
{
    public LinearLayer(long inFeatures, long outFeatures, bool hasBias) : base(nameof(LinearLayer))
    {
        register_parameter("weight", new Parameter(empty(outFeatures, inFeatures)));
        if (hasBias) register_parameter("bias", new Parameter(empty(outFeatures)));
        HasBias = hasBias;
    }

    public bool HasBias { get; }
    public Tensor Weight => this.Parameter("weight");
    public Tensor? Bias => HasBias ? this.Parameter("bias") : null;

    public Tensor Forward(Tensor input) => nn.functional.linear(input, Weight, Bias);
}
