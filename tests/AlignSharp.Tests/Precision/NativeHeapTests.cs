using AlignSharp.Runtime;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Precision;

/// <summary>Trimming the native heap between passes must be harmless: tensors alive across it keep their values.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void TrimKeepsLiveTensorsIntact()
    {
        using var kept = arange(1_000_000, dtype: ScalarType.Float32);
        using (var freed = ones(4_000_000)) { }
        NativeHeap.Trim();
        Assert.Equal(499_999_500_000.0, kept.sum(type: ScalarType.Float64).item<double>());
        if (!OperatingSystem.IsLinux()) Assert.False(NativeHeap.Trim());
    }
}
