using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Modeling;

/// <summary>Shared helpers: tiny seeded models and per-token log-probs.</summary>
static class ModelTestData
{
    public const int Vocab = 40;

    public static CausalLM TinyModel(string arch, long seed = 7)
    {
        var config = ModelPresets.Create(arch, "tiny", Vocab, bosTokenId: 1, eosTokenId: 2, padTokenId: 0);
        var model = new CausalLM(config);
        model.InitializeWeights(seed);
        // HF's 0.02 init gives near-uniform outputs; larger weights make comparisons meaningful.
        using (no_grad())
            foreach (var (_, p) in model.named_parameters())
                if (p.dim() > 1) p.mul_(20);
        return model;
    }

    public static Tensor Ids(long[,] rows) => tensor(rows);

    /// <summary>log p(token[t+1] | ≤t) for every t: [batch, time-1].</summary>
    public static Tensor NextTokenLogProbs(ICausalLM model, Tensor ids, Tensor? mask = null, Tensor? positions = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var logits = model.Logits(model.Hidden(ids, mask, positions, cache)).to(ScalarType.Float32);
        var logProbs = logits.log_softmax(-1).narrow(1, 0, ids.shape[1] - 1);
        var next = ids.narrow(1, 1, ids.shape[1] - 1).unsqueeze(-1);
        return logProbs.gather(-1, next).squeeze(-1).MoveToOuterDisposeScope();
    }

    public static float[] Row(Tensor t, long row) => t[row].to(ScalarType.Float32).data<float>().ToArray();

    public static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
    }
}
