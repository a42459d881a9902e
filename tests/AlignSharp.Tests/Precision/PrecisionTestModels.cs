using AlignSharp.Modeling;
using AlignSharp.Runtime;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Precision;

/// <summary>Tiny seeded models and batches shared by the precision tests.</summary>
static class PrecisionTestModels
{
    public const int Vocab = 96;

    public static IEnumerable<object[]> Architectures() => ModelPresets.Architectures.Select(a => new object[] { a });

    public static CausalLM Tiny(string arch, AlignSharp.Runtime.Precision precision = AlignSharp.Runtime.Precision.Float32, long seed = 5)
    {
        var model = new CausalLM(ModelPresets.Create(arch, "tiny", Vocab));
        model.InitializeWeights(seed);
        model.Precision = precision;
        return model;
    }

    /// <summary>Rows of different lengths, so the batch is padded and the attention mask is used.</summary>
    public static ScoringRow[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(Vocab)).ToArray();
        return Enumerable.Range(0, count).Select(_ => new ScoringRow(Tokens(random.Next(2, 8)), Tokens(random.Next(4, 24)))).ToArray();
    }

    /// <summary>Token-mean NLL of the completions (the SFT loss), differentiable.</summary>
    public static Tensor Loss(ICausalLM model, IReadOnlyList<ScoringRow> rows)
    {
        using var scope = NewDisposeScope();
        using var logProbs = new CompletionScorer(model, new ScoringOptions(ChunkPositions: 32)).LogProbs(rows);
        return (logProbs.TokenLogProbs.sum().neg() / logProbs.CompletionMask.sum()).MoveToOuterDisposeScope();
    }

    /// <summary>Copies every parameter of <paramref name="source"/> into <paramref name="target"/> (same architecture).</summary>
    public static void CopyParameters(nn.Module source, nn.Module target)
    {
        using var noGrad = no_grad();
        var from = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in target.named_parameters()) parameter.copy_(from[name]);
    }

    /// <summary>Same dtype, shape and bits (no tolerance).</summary>
    public static bool BitEqual(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to(ScalarType.Float64);
        var e = expected.to(ScalarType.Float64);
        return (a - e).norm().item<double>() / Math.Max(e.norm().item<double>(), 1e-30);
    }
}
