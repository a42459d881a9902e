using AlignSharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// y = x·Wᵀ + b with W stored [out, in] as in torch.nn.Linear. Parameters start uninitialised
/// (they are either loaded or set by <see cref="WeightInitializer"/>), so building a large model costs no random init.
/// Parameters are looked up by name on use because <c>Module.to(dtype)</c> replaces them.
/// </summary>
public sealed class LinearLayer : NamedModule, IProjection, IMixedPrecisionModule
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

    public Precision Precision { get; set; }

    public Tensor Forward(Tensor input)
    {
        if (Precision.MatmulType() is not ScalarType type) return nn.functional.linear(input, Weight, Bias);
        // Autocast: input, weight and bias cast to bf16; the output stays bf16.
        using var scope = NewDisposeScope();
        var bias = Bias is { } b ? MixedPrecision.ForMatmul(b, type) : null;
        return nn.functional.linear(MixedPrecision.ForMatmul(input, type), MixedPrecision.ForMatmul(Weight, type), bias).MoveToOuterDisposeScope();
    }
}
