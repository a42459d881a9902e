using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>torch.nn.LayerNorm with weight and bias (GPT-2, GPT-NeoX); runs in the parameters' dtype as in PyTorch.</summary>
public sealed class LayerNormLayer : NamedModule
{
    readonly double _epsilon;

    public LayerNormLayer(long dim, double epsilon) : base(nameof(LayerNormLayer))
    {
        _epsilon = epsilon;
        register_parameter("weight", new Parameter(ones(dim)));
        register_parameter("bias", new Parameter(zeros(dim)));
    }

    public Tensor Weight => this.Parameter("weight");
    public Tensor Bias => this.Parameter("bias");

    public Tensor Forward(Tensor input) =>
        nn.functional.layer_norm(input, [input.shape[^1]], Weight, Bias, _epsilon);
}
