using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Runtime;

/// <summary>
/// The casts of autocast, done by hand (TorchSharp has no autocast). Casting with <c>to</c> keeps the
/// autograd edge, so the gradient of a bf16 matmul reaches the float32 parameter as float32.
/// </summary>
public static class MixedPrecision
{
    /// <summary>The dtype matmuls run in, or null when they run in their inputs' dtype (float32 mode).</summary>
    public static ScalarType? MatmulType(this Precision precision) => precision switch
    {
        Precision.Float32 => null,
        Precision.BFloat16 => ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
    };

    /// <summary>
    /// <paramref name="tensor"/> in the matmul dtype: a new tensor (owned by the caller's dispose scope)
    /// unless it already has that dtype, in which case it is returned as is (callers must not dispose it then).
    /// </summary>
    public static Tensor ForMatmul(Tensor tensor, ScalarType type) =>
        tensor.dtype == type ? tensor : tensor.to(type);
}
