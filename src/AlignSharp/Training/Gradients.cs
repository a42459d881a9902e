using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Training;

/// <summary>
/// What the loop does to the accumulated gradients: PyTorch's <c>clip_grad_norm_</c>, split so the norm can
/// be checked before any gradient changes, and <c>zero_grad(set_to_none=True)</c>.
/// </summary>
public static class Gradients
{
    /// <summary>The global L2 norm over all gradients (parameters without a gradient are skipped), in fp32 or wider.</summary>
    public static double TotalNorm(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        var norms = new List<Tensor>();
        foreach (var parameter in parameters)
        {
            if (parameter.grad is not { } grad) continue;
            norms.Add(linalg.vector_norm(grad.to_type(Wider(grad.dtype)), 2));
        }
        if (norms.Count == 0) return 0;
        return linalg.vector_norm(stack(norms), 2).ToDouble();
    }

    /// <summary>
    /// Scales every gradient by max_norm / (total_norm + 1e-6) when that is below 1, exactly as PyTorch does.
    /// A non-finite norm is left alone: the loop stops before the update anyway.
    /// </summary>
    public static void ClipToNorm(IEnumerable<Tensor> parameters, double totalNorm, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (maxNorm <= 0 || !double.IsFinite(totalNorm)) return;
        double coefficient = maxNorm / (totalNorm + 1e-6);
        if (coefficient >= 1) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var parameter in parameters)
            if (parameter.grad is { } grad) grad.mul_(coefficient);
    }

    /// <summary>
    /// Drops every gradient (PyTorch's default <c>set_to_none</c>), so the next step starts from nothing and
    /// AdamW skips parameters that get no gradient. TorchSharp's own <c>zero_grad</c> is not used: in 0.107 it
    /// leaves one tensor handle per parameter alive on every call.
    /// </summary>
    public static void SetToNone(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
            parameter.grad = null;
    }

    static ScalarType Wider(ScalarType dtype) => dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
}
