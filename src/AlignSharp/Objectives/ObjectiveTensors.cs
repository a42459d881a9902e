using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>Input checks and precision rules shared by the objectives.</summary>
internal static class ObjectiveTensors
{
    /// <summary>
    /// Losses run in float32 at least (DESIGN: fp32 losses even under bf16 matmuls); float64 inputs
    /// stay float64 so golden tests can compare tightly.
    /// </summary>
    public static ScalarType LossPrecision(params Tensor?[] inputs) =>
        inputs.Any(t => t is not null && t.dtype == ScalarType.Float64) ? ScalarType.Float64 : ScalarType.Float32;

    public static void RequireFloating(Tensor tensor, string objective, string name)
    {
        if (!torch.is_floating_point(tensor))
            throw new ArgumentException($"{objective}: {name} must be a floating-point tensor, got {tensor.dtype}", name);
    }

    /// <summary>
    /// Per-token log-probs and their mask: floating-point log-probs, both [batch, time] of the same shape.
    /// <paramref name="what"/> and <paramref name="maskWhat"/> name them in the error (e.g. "token log-probs", "completion mask").
    /// </summary>
    public static void RequireTokenMatrix(Tensor logps, Tensor mask, string objective, string logpsName, string what, string maskName, string maskWhat)
    {
        RequireFloating(logps, objective, logpsName);
        if (logps.dim() != 2 || !logps.shape.SequenceEqual(mask.shape))
            throw new ArgumentException($"{objective}: {what} {Shape(logps)} and {maskWhat} {Shape(mask)} must both be [batch, time]", maskName);
    }

    /// <summary>Accepts [B] or [B, 1] (a value head's output) and returns a [B] view.</summary>
    public static Tensor PerPairVector(Tensor tensor, string objective, string name)
    {
        bool ok = tensor.dim() == 1 || (tensor.dim() == 2 && tensor.shape[1] == 1);
        if (!ok)
            throw new ArgumentException($"{objective}: {name} must have shape [batch] or [batch, 1], got {Shape(tensor)}", name);
        return tensor.reshape(-1);
    }

    public static void RequireSameLength(string objective, params (Tensor Tensor, string Name)[] vectors)
    {
        long expected = vectors[0].Tensor.shape[0];
        foreach (var (tensor, name) in vectors)
        {
            if (tensor.shape[0] != expected)
                throw new ArgumentException(
                    $"{objective}: {name} has {tensor.shape[0]} rows but {vectors[0].Name} has {expected}; all per-pair inputs must have the same batch size",
                    name);
        }
        if (expected == 0)
            throw new ArgumentException($"{objective}: the batch is empty", vectors[0].Name);
    }

    /// <summary>True where a mask (bool, or numeric 0/1) selects a position.</summary>
    public static Tensor Selected(Tensor mask) => mask.dtype == ScalarType.Bool ? mask.alias() : mask.ne(0);

    public static double RequirePositiveNormaliser(double normaliser, string objective, string name)
    {
        if (!(normaliser > 0) || double.IsInfinity(normaliser))
            throw new ArgumentOutOfRangeException(name, normaliser, $"{objective}: the normaliser must be a positive finite number");
        return normaliser;
    }

    public static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
