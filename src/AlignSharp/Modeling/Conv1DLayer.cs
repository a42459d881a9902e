using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored transposed, [in, out], so y = x·W + b.
/// Kept in that layout so GPT-2 checkpoints load and save unchanged.
/// </summary>
public sealed class Conv1DLayer : NamedModule, IProjection
{
    public Conv1DLayer(long inFeatures, long outFeatures) : base(nameof(Conv1DLayer))
    {
        register_parameter("weight", new Parameter(empty(inFeatures, outFeatures)));
        register_parameter("bias", new Parameter(empty(outFeatures)));
    }

    public Tensor Weight => this.Parameter("weight");
    public Tensor Bias => this.Parameter("bias");

    public Tensor Forward(Tensor input)
    {
        using var flat = input.reshape(-1, input.shape[^1]);
        using var output = addmm(Bias, flat, Weight, beta: 1, alpha: 1);
        long[] shape = input.shape.ToArray();
        shape[^1] = Weight.shape[1];
        return output.reshape(shape);
    }
}
