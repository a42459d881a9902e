using AlignSharp.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored transposed, [in, out], so y = x·W + b.
/// Kept in that layout so GPT-2 checkpoints load and save unchanged.
/// </summary>
public sealed class Conv1DLayer : NamedModule, IProjection, IMixedPrecisionModule
{
    public Conv1DLayer(long inFeatures, long outFeatures) : base(nameof(Conv1DLayer))
    {
        register_parameter("weight", new Parameter(empty(inFeatures, outFeatures)));
        register_parameter("bias", new Parameter(empty(outFeatures)));
    }

    public Tensor Weight => this.Parameter("weight");
    public Tensor Bias => this.Parameter("bias");

    public Precision Precision { get; set; }

    public Tensor Forward(Tensor input)
    {
        if (Precision.MatmulType() is ScalarType type)
        {
            // Autocast: the same product on bf16 casts; the output stays bf16.
            using var scope = NewDisposeScope();
            return ForwardIn(MixedPrecision.ForMatmul(input, type), MixedPrecision.ForMatmul(Weight, type), MixedPrecision.ForMatmul(Bias, type))
                .MoveToOuterDisposeScope();
        }
        return ForwardIn(input, Weight, Bias);
    }

    static Tensor ForwardIn(Tensor input, Tensor weight, Tensor bias)
    {
        using var flat = input.reshape(-1, input.shape[^1]);
        using var output = addmm(bias, flat, weight, beta: 1, alpha: 1);
        long[] shape = input.shape.ToArray();
        shape[^1] = weight.shape[1];
        return output.reshape(shape);
    }
}
