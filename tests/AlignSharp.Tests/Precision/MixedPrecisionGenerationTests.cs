using AlignSharp.Generation;
using static AlignSharp.Tests.Precision.PrecisionTestModels;
using PrecisionMode = AlignSharp.Runtime.Precision;

namespace AlignSharp.Tests.Precision;

/// <summary>The KV cache stays fp32 under bf16 (keys and values are cast after it), so cached generation works in both modes.</summary>
public sealed class MixedPrecisionGenerationTests
{
    [Theory, MemberData(nameof(Architectures), MemberType = typeof(PrecisionTestModels))]
    public void Bf16GenerationRunsWithAndWithoutTheCache(string arch)
    {
        using var model = Tiny(arch, PrecisionMode.BFloat16);
        model.eval();
        var prompts = new IReadOnlyList<int>[] { [1, 2, 3], [4, 5, 6, 7, 8] };
        foreach (bool cache in new[] { true, false })
        {
            var results = new SequenceGenerator(model).Generate(prompts, new GenerationOptions(MaxNewTokens: 5, Seed: 3, StopAtEos: false, UseKvCache: cache));
            Assert.All(results, r => Assert.Equal(5, r.TokenIds.Length));
            Assert.All(results, r => Assert.All(r.TokenIds, id => Assert.InRange(id, 0, Vocab - 1)));
        }
    }
}
