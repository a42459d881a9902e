using AlignSharp.Modeling;
using TorchSharp;
using static AlignSharp.Tests.Modeling.ModelTestData;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

/// <summary>Properties every architecture must have, independent of the golden files.</summary>
public class DecoderInvariantTests
{
    public static TheoryData<string> Architectures => new() { "llama", "qwen2", "gpt2", "gpt_neox" };

    /// <summary>Presets plus the Mistral fixture, whose sliding window (3) is shorter than the test sequences.</summary>
    public static TheoryData<string> ArchitecturesAndWindow => new() { "llama", "qwen2", "gpt2", "gpt_neox", "fixture:mistral_window" };

    static CausalLM Model(string source) =>
        source.StartsWith("fixture:") ? PretrainedModels.LoadCausalLM(ModelFixtures.Folder(source["fixture:".Length..])) : TinyModel(source);

    static readonly long[] Sequence = [5, 17, 33, 2, 39, 9, 27];

    [Theory, MemberData(nameof(ArchitecturesAndWindow))]
    public void LeftPaddedRowMatchesTheUnpaddedRow(string arch)
    {
        using var model = Model(arch);
        using var scope = NewDisposeScope();
        var unpadded = tensor(Sequence).unsqueeze(0);
        var expected = NextTokenLogProbs(model, unpadded);

        // Row 0: three pads on the left; row 1: the same sequence unpadded with three extra tokens.
        const int pads = 3;
        var padded = tensor(new long[] { 0, 0, 0 }.Concat(Sequence).ToArray()).unsqueeze(0);
        var other = tensor(new long[] { 4, 8, 15 }.Concat(Sequence).ToArray()).unsqueeze(0);
        var ids = cat([padded, other], 0);
        var mask = ones_like(ids);
        mask[0, TensorIndex.Slice(0, pads)] = tensor(0L);
        var actual = NextTokenLogProbs(model, ids, mask, PositionIds.FromAttentionMask(mask));

        var paddedRow = Row(actual, 0).Skip(pads).ToArray();
        AssertClose(Row(expected, 0), paddedRow, 1e-4, $"{arch} left-padded");
        Assert.DoesNotContain(Row(actual, 0), float.IsNaN); // fully masked pad rows must not produce NaN
    }

    [Theory, MemberData(nameof(ArchitecturesAndWindow))]
    public void CacheFedInPiecesEqualsOneFullForward(string arch)
    {
        using var model = Model(arch);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[,] { { 5, 17, 33, 2, 39, 9, 27 }, { 0, 0, 3, 3, 19, 36, 21 } });
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1, 1 }, { 0, 0, 1, 1, 1, 1, 1 } });
        var positions = PositionIds.FromAttentionMask(mask);
        var full = model.Hidden(ids, mask, positions);

        using var cache = new KvCache(model.LayerCount);
        const int prompt = 4;
        var pieces = new List<Tensor> { model.Hidden(ids.narrow(1, 0, prompt), mask.narrow(1, 0, prompt), positions.narrow(1, 0, prompt), cache) };
        for (int t = prompt; t < ids.shape[1]; t++)
        {
            Assert.Equal(t, cache.Length);
            pieces.Add(model.Hidden(ids.narrow(1, t, 1), mask.narrow(1, 0, t + 1), positions.narrow(1, t, 1), cache));
        }
        var stitched = cat(pieces, 1);
        Assert.Equal(ids.shape[1], cache.Length);
        // Compare real positions only (pads attend to nothing and their hidden state is arbitrary).
        var real = mask.unsqueeze(-1).to(ScalarType.Bool);
        double maxDiff = (full - stitched).abs().masked_fill(real.logical_not(), 0).max().item<float>();
        Assert.True(maxDiff < 1e-4, $"{arch}: cached and full hidden states differ by {maxDiff}");
    }

    [Fact]
    public void NoPaddingAndNoMaskGiveTheSameResult()
    {
        using var model = TinyModel("llama");
        using var scope = NewDisposeScope();
        var ids = tensor(Sequence).unsqueeze(0);
        var withMask = NextTokenLogProbs(model, ids, ones_like(ids));
        var withoutMask = NextTokenLogProbs(model, ids);
        AssertClose(Row(withMask, 0), Row(withoutMask, 0), 1e-5, "mask of ones vs no mask");
    }

    [Theory, MemberData(nameof(Architectures))]
    public void ForwardLeavesNoLiveTensorsBehind(string arch)
    {
        using var model = TinyModel(arch);
        using var ids = tensor(new long[,] { { 0, 5, 17, 33 } });
        using var mask = tensor(new long[,] { { 0, 1, 1, 1 } });
        using var positions = PositionIds.FromAttentionMask(mask);
        using (var warmup = model.Logits(model.Hidden(ids, mask, positions))) { }
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var cache = new KvCache(model.LayerCount))
        {
            using var hidden = model.Hidden(ids, mask, positions, cache);
            using var logits = model.Logits(hidden);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Theory, MemberData(nameof(Architectures))]
    public void RunsInBFloat16CloseToFloat32(string arch)
    {
        using var model = TinyModel(arch);
        using var scope = NewDisposeScope();
        var ids = tensor(Sequence).unsqueeze(0);
        var expected = NextTokenLogProbs(model, ids);
        model.to(ScalarType.BFloat16);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        var hidden = model.Hidden(ids);
        Assert.Equal(ScalarType.BFloat16, hidden.dtype);
        var actual = NextTokenLogProbs(model, ids);
        Assert.DoesNotContain(Row(actual, 0), float.IsNaN);
        // bf16 keeps ~3 significant digits; log-probs agree to about a tenth of their size.
        var (e, a) = (Row(expected, 0), Row(actual, 0));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 0.1 * Math.Abs(e[i]) + 0.2, $"{arch} bf16 [{i}]: float32 {e[i]}, bf16 {a[i]}");
    }

    [Fact]
    public void SeededInitIsReproducibleAndFollowsTransformersRules()
    {
        var config = ModelPresets.Create("gpt2", "tiny", Vocab);
        using var a = new CausalLM(config);
        using var b = new CausalLM(config);
        a.InitializeWeights(3);
        b.InitializeWeights(3);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs between two inits with the same seed");

        var p = a.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(1f, p["transformer.h.0.ln_1.weight"].mean().item<float>());
        Assert.Equal(0f, p["transformer.h.0.attn.c_attn.bias"].abs().max().item<float>());
        double std = p["transformer.h.0.mlp.c_fc.weight"].std().item<float>();
        Assert.InRange(std, 0.018, 0.022);
        double residualStd = p["transformer.h.0.mlp.c_proj.weight"].std().item<float>();
        Assert.InRange(residualStd, 0.02 / Math.Sqrt(4) * 0.9, 0.02 / Math.Sqrt(4) * 1.1); // 2 layers: /√(2·2)
    }

    [Fact]
    public void LlamaPaddingRowOfTheEmbeddingStartsAtZero()
    {
        var config = ModelPresets.Create("llama", "tiny", Vocab, padTokenId: 3);
        using var model = new CausalLM(config);
        model.InitializeWeights(1);
        Assert.Equal(0f, model.Body.TokenEmbedding.Weight[3].abs().sum().item<float>());
        Assert.NotEqual(0f, model.Body.TokenEmbedding.Weight[4].abs().sum().item<float>());
    }

    [Theory, MemberData(nameof(Architectures))]
    public void GradientsReachEveryParameter(string arch)
    {
        using var model = TinyModel(arch);
        using (var scope = NewDisposeScope())
        {
            var ids = tensor(new long[,] { { 0, 5, 17, 33, 2 } });
            var mask = tensor(new long[,] { { 0, 1, 1, 1, 1 } });
            var loss = -NextTokenLogProbs(model, ids, mask, PositionIds.FromAttentionMask(mask)).narrow(1, 1, 3).sum();
            loss.backward();
        }
        foreach (var (name, p) in model.named_parameters())
        {
            using var grad = p.grad;
            Assert.True(grad is not null && grad.abs().sum().item<float>() > 0, $"{arch}: no gradient for {name}");
        }
    }
}
