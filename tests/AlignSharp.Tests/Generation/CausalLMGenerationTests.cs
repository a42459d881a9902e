using AlignSharp.Generation;
using AlignSharp.Modeling;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Generation;

/// <summary>
/// Scoring and generation on the real decoder (tiny presets, every architecture), against references
/// written here: full-logits log-softmax of each unpadded row, and greedy decoding that re-runs the
/// whole unpadded sequence each step.
/// </summary>
public class CausalLMGenerationTests
{
    const int Vocab = 40;

    static readonly IReadOnlyList<int>[] Prompts =
    {
        new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        new[] { 17 },
        new[] { 30, 31, 5 },
        new[] { 39, 0, 12, 12, 7, 21 },
    };

    static CausalLM TinyModel(string arch)
    {
        var model = new CausalLM(ModelPresets.Create(arch, "tiny", Vocab));
        model.InitializeWeights(seed: 99);
        // transformers' init (std 0.02) gives almost uniform next-token distributions; sharper logits make
        // greedy choices and sampling distinct enough to compare paths without near-ties.
        using (no_grad()) model.OutputWeight.mul_(10);
        model.eval();
        return model;
    }

    static int[] NaiveGreedy(ICausalLM model, IReadOnlyList<int> prompt, int newTokens)
    {
        using var noGrad = no_grad();
        var sequence = prompt.Select(i => (long)i).ToList();
        var generated = new List<int>();
        for (int s = 0; s < newTokens; s++)
        {
            using var scope = NewDisposeScope();
            Tensor logits = model.Logits(model.Hidden(tensor(sequence.ToArray(), new long[] { 1, sequence.Count })))[0, -1];
            int next = (int)logits.argmax().item<long>();
            generated.Add(next);
            sequence.Add(next);
        }
        return generated.ToArray();
    }

    /// <summary>fp32 agreement: absolute near 0, relative for large log-probs.</summary>
    static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("gpt2")]
    [InlineData("gpt_neox")]
    public void ScoringAPaddedBatchEqualsFullLogitsOfEachRowAlone(string arch)
    {
        using var model = TinyModel(arch);
        var rows = Prompts.Select((p, r) => new ScoringRow(p, Enumerable.Range(0, 2 + 3 * r).Select(j => (j * 7 + r) % Vocab).ToArray())).ToArray();
        var scores = new CompletionScorer(model, new ScoringOptions(ChunkPositions: 5)).Score(rows);
        for (int r = 0; r < rows.Length; r++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = rows[r].PromptIds.Concat(rows[r].CompletionIds).Select(i => (long)i).ToArray();
            Tensor logProbs = model.Logits(model.Hidden(tensor(ids, new long[] { 1, ids.Length }))).to_type(ScalarType.Float64).log_softmax(-1)[0];
            for (int j = 0; j < rows[r].CompletionIds.Count; j++)
                AssertClose(logProbs[rows[r].PromptIds.Count + j - 1, rows[r].CompletionIds[j]].item<double>(), scores[r].TokenLogProbs[j]);
        }
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("gpt2")]
    [InlineData("gpt_neox")]
    public void LeftPaddedCachedGreedyEqualsANaiveLoopPerPrompt(string arch)
    {
        using var model = TinyModel(arch);
        var generator = new SequenceGenerator(model);
        var cached = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 10, DoSample: false));
        var uncached = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 10, DoSample: false, UseKvCache: false));
        for (int r = 0; r < Prompts.Length; r++)
        {
            int[] expected = NaiveGreedy(model, Prompts[r], 10);
            Assert.Equal(expected, cached[r].TokenIds);
            Assert.Equal(expected, uncached[r].TokenIds);
        }
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("gpt2")]
    [InlineData("gpt_neox")]
    public void SeededSamplingWithTheCacheEqualsWithoutAndLogProbsEqualTheScorers(string arch)
    {
        using var model = TinyModel(arch);
        var generator = new SequenceGenerator(model);
        var options = new GenerationOptions(MaxNewTokens: 10, Temperature: 0.9, TopP: 0.95, Seed: 2024, StopTokenIds: new[] { 3 });
        var cached = generator.Generate(Prompts, options);
        var uncached = generator.Generate(Prompts, options with { UseKvCache = false });
        var scores = new CompletionScorer(model).Score(Prompts.Select((p, r) => new ScoringRow(p, cached[r].TokenIds)).ToArray());
        for (int r = 0; r < Prompts.Length; r++)
        {
            Assert.Equal(uncached[r].TokenIds, cached[r].TokenIds);
            Assert.Equal(uncached[r].FinishReason, cached[r].FinishReason);
            for (int j = 0; j < cached[r].TokenIds.Length; j++)
            {
                AssertClose(uncached[r].LogProbs[j], cached[r].LogProbs[j]);
                AssertClose(scores[r].TokenLogProbs[j], cached[r].LogProbs[j]);
            }
        }
    }

    [Fact]
    public void ABFloat16ModelScoresAndGeneratesInFloat32()
    {
        using var model = TinyModel("llama");
        var rows = Prompts.Select(p => new ScoringRow(p, new[] { 5, 9, 13, 2 })).ToArray();
        var fp32 = new CompletionScorer(model).Score(rows);
        model.to(ScalarType.BFloat16);
        var bf16 = new CompletionScorer(model).Score(rows);
        var generated = new SequenceGenerator(model).Generate(Prompts, new GenerationOptions(MaxNewTokens: 6, Seed: 1));
        for (int r = 0; r < rows.Length; r++)
        {
            // bf16 keeps about 3 significant digits; the point is that nothing breaks or overflows.
            Assert.True(Math.Abs(fp32[r].SumLogProb - bf16[r].SumLogProb) <= 0.1 * Math.Abs(fp32[r].SumLogProb) + 0.5,
                $"row {r}: fp32 {fp32[r].SumLogProb}, bf16 {bf16[r].SumLogProb}");
            Assert.Equal(6, generated[r].TokenIds.Length);
            Assert.All(generated[r].LogProbs, lp => Assert.True(float.IsFinite(lp) && lp <= 0));
        }
    }

    [Theory]
    [InlineData("llama")]     // tied head: the recomputed backward and the body's backward both reach the embedding
    [InlineData("gpt_neox")]  // separate head
    public void TrainingGradientsWithRecomputedChunksEqualThePlainGraph(string arch)
    {
        using var model = TinyModel(arch);
        model.train();
        var rows = Prompts.Select((p, r) => new ScoringRow(p, Enumerable.Range(0, 3 + r).Select(j => (j * 5 + r) % Vocab).ToArray())).ToArray();
        Dictionary<string, float[]> Gradients(ScoringOptions options, bool recompute)
        {
            model.zero_grad();
            using var scope = NewDisposeScope();
            Tensor loss;
            if (recompute)
            {
                using var result = new CompletionScorer(model, options).LogProbs(rows);
                loss = -(result.Sum * arange(1, rows.Length + 1, dtype: ScalarType.Float32)).sum();
            }
            else
            {
                // Reference: the full-vocabulary log-softmax of each unpadded row, with an ordinary graph.
                loss = zeros(1);
                for (int r = 0; r < rows.Length; r++)
                {
                    var ids = rows[r].PromptIds.Concat(rows[r].CompletionIds).Select(i => (long)i).ToArray();
                    Tensor logProbs = model.Logits(model.Hidden(tensor(ids, new long[] { 1, ids.Length }))).log_softmax(-1)[0];
                    for (int j = 0; j < rows[r].CompletionIds.Count; j++)
                        loss = loss - (r + 1) * logProbs[rows[r].PromptIds.Count + j - 1, rows[r].CompletionIds[j]];
                }
            }
            loss.sum().backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        }
        var expected = Gradients(new ScoringOptions(), recompute: false);
        var actual = Gradients(new ScoringOptions(ChunkPositions: 4, KeptLogitsBudgetBytes: 0), recompute: true);
        foreach (var (name, reference) in expected)
        {
            float scale = reference.Max(Math.Abs);
            Assert.True(scale > 0, $"no gradient reached {name}");
            for (int i = 0; i < reference.Length; i++)
                Assert.True(Math.Abs(reference[i] - actual[name][i]) <= 1e-3 * scale, $"{name}[{i}]: {reference[i]} vs {actual[name][i]}");
        }
    }
}
