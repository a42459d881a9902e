using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// RMSNorm as Hugging Face Llama computes it: normalise in float32, cast back to the input dtype,
/// then multiply by the weight (so bf16 models keep fp32 statistics).
/// </summary>
public sealed class RmsNorm : NamedModule
{
    readonly double _epsilon;

    public RmsNorm(long dim, double epsilon) : base(nameof(RmsNorm))
    {
        _epsilon = epsilon;
        register_parameter("weight", new Parameter(ones(dim)));
    }

    public Tensor Weight => this.Parameter("weight");

    public Tensor Forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        var normalized = (x * (variance + _epsilon).rsqrt()).to(input.dtype);
        return (Weight * normalized).MoveToOuterDisposeScope();
    }
}
