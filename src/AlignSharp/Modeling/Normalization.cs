using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>Builds the norm a family uses and applies it without the caller knowing which one it is.</summary>
public static class Normalization
{
    public static nn.Module Create(ModelConfig config) =>
        config.Family is ArchitectureFamily.Gpt2 or ArchitectureFamily.GptNeoX
            ? new LayerNormLayer(config.HiddenSize, config.NormEpsilon)
            : new RmsNorm(config.HiddenSize, config.NormEpsilon);

    public static Tensor Apply(nn.Module norm, Tensor input) => norm switch
    {
        RmsNorm rms => rms.Forward(input),
        LayerNormLayer layer => layer.Forward(input),
        _ => throw new ArgumentException($"not a norm module: {norm.GetType().Name}", nameof(norm)),
    };
}
