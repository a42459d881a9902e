using AlignSharp.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// Several <see cref="LinearLayer"/>s that read the same input (Llama's q/k/v, the MLP's gate/up) run as one
/// matmul over their weights concatenated along the output, then split. Same values as separate layers; in
/// training it saves work the separate layers repeat: the input's bf16 cast happens once, and the backward
/// pass computes the input's gradient with one matmul instead of one per layer plus the sums between them.
/// </summary>
/// <remarks>
/// Only while building a graph for training: concatenating the weights copies them on every call, which the
/// backward pass repays and a no-grad forward (scoring, generation) does not.
/// </remarks>
public static class SharedInputProjections
{
    /// <summary>True when <paramref name="layers"/> are worth running as one matmul on this call.</summary>
    public static bool ShouldFuse(IReadOnlyList<LinearLayer> layers) =>
        layers.Count > 1 && is_grad_enabled() && layers.Any(l => l.Weight.requires_grad);

    /// <summary>
    /// Each layer's output for <paramref name="input"/> [..., in], as the layers would compute them one by one
    /// (they must share one <see cref="LinearLayer.Precision"/>; the outputs are bf16 under <see cref="Precision.BFloat16"/>).
    /// </summary>
    public static Tensor[] Forward(Tensor input, IReadOnlyList<LinearLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("no layers to fuse", nameof(layers));
        if (layers.Any(l => l.HasBias) && !layers.All(l => l.HasBias))
            throw new ArgumentException("fused layers must all have a bias or all have none", nameof(layers));
        Precision precision = layers[0].Precision;
        if (layers.Any(l => l.Precision != precision))
            throw new ArgumentException("fused layers must share one precision", nameof(layers));
        using var scope = NewDisposeScope();
        ScalarType? type = precision.MatmulType();
        // Cast each weight first (the cast's backward hands each fp32 master its own gradient), then concatenate.
        Tensor Cast(Tensor t) => type is { } bf16 ? MixedPrecision.ForMatmul(t, bf16) : t;
        Tensor weight = cat(layers.Select(l => Cast(l.Weight)).ToArray(), 0);
        Tensor? bias = layers[0].HasBias ? cat(layers.Select(l => Cast(l.Bias!)).ToArray(), 0) : null;
        Tensor output = nn.functional.linear(Cast(input), weight, bias);
        long[] sizes = layers.Select(l => l.Weight.shape[0]).ToArray();
        return output.split(sizes, -1).Select(part => part.MoveToOuterDisposeScope()).ToArray();
    }
}
