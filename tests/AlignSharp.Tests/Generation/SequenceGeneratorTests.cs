using AlignSharp.Generation;
using AlignSharp.Scoring;
using AlignSharp.Tests.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Generation;

public class SequenceGeneratorTests
{
    static readonly IReadOnlyList<int>[] Prompts =
    {
        new[] { 1, 2, 3, 4, 5, 6, 7 },
        new[] { 9 },
        new[] { 4, 4, 0 },
        new[] { 12, 11, 10, 9, 8 },
    };

    /// <summary>The reference: one unpadded prompt, the whole sequence re-run every step, argmax by hand.</summary>
    static int[] NaiveGreedy(TinyCausalLM model, IReadOnlyList<int> prompt, int newTokens)
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

    static void AssertSameSequences(IReadOnlyList<GeneratedSequence> expected, IReadOnlyList<GeneratedSequence> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].TokenIds, actual[r].TokenIds);
            Assert.Equal(expected[r].FinishReason, actual[r].FinishReason);
            for (int j = 0; j < expected[r].LogProbs.Length; j++) Assert.Equal(expected[r].LogProbs[j], actual[r].LogProbs[j], 4);
        }
    }

    [Fact]
    public void BatchedGreedyWithTheCacheEqualsANaiveLoopPerPrompt()
    {
        var model = new TinyCausalLM();
        var results = new SequenceGenerator(model).Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, DoSample: false));
        for (int r = 0; r < Prompts.Length; r++)
        {
            Assert.Equal(NaiveGreedy(model, Prompts[r], 12), results[r].TokenIds);
            Assert.Equal(FinishReason.Length, results[r].FinishReason);
        }
    }

    [Fact]
    public void GreedyWithTheCacheEqualsGreedyWithout()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var options = new GenerationOptions(MaxNewTokens: 16, DoSample: false, StopTokenIds: new[] { 3 });
        AssertSameSequences(generator.Generate(Prompts, options with { UseKvCache = false }), generator.Generate(Prompts, options));
    }

    [Fact]
    public void SeededSamplingWithTheCacheEqualsSamplingWithout()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var options = new GenerationOptions(MaxNewTokens: 16, Temperature: 1.3, Seed: 42, StopTokenIds: new[] { 3 });
        var withCache = generator.Generate(Prompts, options);
        AssertSameSequences(generator.Generate(Prompts, options with { UseKvCache = false }), withCache);
        // The comparison means something only if sampling left the greedy path.
        var greedy = generator.Generate(Prompts, options with { DoSample = false });
        Assert.Contains(Enumerable.Range(0, Prompts.Length), r => !greedy[r].TokenIds.SequenceEqual(withCache[r].TokenIds));
    }

    [Fact]
    public void TheSameSeedGivesTheSameOutputAndAnotherSeedAnother()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var options = new GenerationOptions(MaxNewTokens: 20, Temperature: 1.5);
        var first = generator.Generate(Prompts, options with { Seed = 7 });
        var again = generator.Generate(Prompts, options with { Seed = 7 });
        var other = generator.Generate(Prompts, options with { Seed = 8 });
        AssertSameSequences(first, again);
        Assert.Contains(Enumerable.Range(0, Prompts.Length), r => !first[r].TokenIds.SequenceEqual(other[r].TokenIds));
    }

    [Fact]
    public void TopKOneAndANearZeroTemperatureAreGreedy()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var greedy = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, DoSample: false));
        var topOne = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, TopK: 1, Seed: 3));
        var cold = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, Temperature: 1e-4, Seed: 3));
        var zero = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, Temperature: 0, Seed: 3));
        AssertSameSequences(greedy, topOne);
        AssertSameSequences(greedy, cold);
        AssertSameSequences(greedy, zero);
    }

    [Fact]
    public void TopPKeepsTheMinimalNucleus()
    {
        using var scope = NewDisposeScope();
        // Probabilities 0.15, 0.5, 0.05, 0.3 in vocabulary order: sorted 0.5 (id 1), 0.3 (id 3), 0.15 (id 0), 0.05 (id 2).
        Tensor logits = tensor(new[] { 0.15f, 0.5f, 0.05f, 0.3f }).log().unsqueeze(0);
        bool[] Kept(double p) => SamplingFilters.TopP(logits, p)[0].isfinite().data<bool>().ToArray();
        Assert.Equal(new[] { false, true, false, false }, Kept(0.4));  // 0.5 alone reaches 0.4
        Assert.Equal(new[] { false, true, false, true }, Kept(0.7));   // 0.5 + 0.3
        Assert.Equal(new[] { true, true, false, true }, Kept(0.9));    // 0.5 + 0.3 + 0.15
        Assert.Equal(new[] { true, true, true, true }, Kept(0.99));
        Assert.Equal(new[] { true, true, true, true }, Kept(1.0));
        // Kept logits are unchanged.
        Assert.Equal(logits[0, 1].item<float>(), SamplingFilters.TopP(logits, 0.7)[0, 1].item<float>());
    }

    [Fact]
    public void TopKKeepsTheKLargest()
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(new[] { 0.1f, 2f, -1f, 1.5f, 0.3f }).unsqueeze(0);
        Assert.Equal(new[] { false, true, false, true, false }, SamplingFilters.TopK(logits, 2)[0].isfinite().data<bool>().ToArray());
        Assert.Equal(new[] { true, true, true, true, true }, SamplingFilters.TopK(logits, 0)[0].isfinite().data<bool>().ToArray());
    }

    [Fact]
    public void AStopTokenEndsItsRowAndIsKept()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var free = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, DoSample: false));
        int stop = free[0].TokenIds[2];
        var stopped = generator.Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, DoSample: false, StopTokenIds: new[] { stop }));
        for (int r = 0; r < Prompts.Length; r++)
        {
            int at = Array.IndexOf(free[r].TokenIds, stop);
            if (at < 0)
            {
                Assert.Equal(free[r].TokenIds, stopped[r].TokenIds);
                Assert.Equal(FinishReason.Length, stopped[r].FinishReason);
            }
            else
            {
                // Rows that stop early leave the batch; the others must not notice.
                Assert.Equal(free[r].TokenIds.Take(at + 1), stopped[r].TokenIds);
                Assert.Equal(FinishReason.StopToken, stopped[r].FinishReason);
            }
        }
        Assert.Equal(FinishReason.StopToken, stopped[0].FinishReason);
        Assert.Equal(3, stopped[0].TokenIds.Length);
    }

    [Fact]
    public void TheTokenizersEosStopsAndIsLeftOutOfTheText()
    {
        var model = new TinyCausalLM();
        var free = new SequenceGenerator(model).Generate(Prompts, new GenerationOptions(MaxNewTokens: 12, DoSample: false));
        int eos = free[1].TokenIds[4];
        var tokenizer = new CharTokenizer(13, eosTokenId: eos);
        var stopped = new SequenceGenerator(model, tokenizer).Generate(new[] { Prompts[1] }, new GenerationOptions(MaxNewTokens: 12, DoSample: false))[0];
        int at = Array.IndexOf(free[1].TokenIds, eos);
        Assert.Equal(FinishReason.StopToken, stopped.FinishReason);
        Assert.Equal(eos, stopped.TokenIds[^1]);
        Assert.Equal(at + 1, stopped.TokenIds.Length);
        Assert.Equal(tokenizer.Decode(free[1].TokenIds.Take(at), skipSpecialTokens: true), stopped.Text);
    }

    [Fact]
    public void AStopStringEndsItsRowAndTheTextIsCutBeforeIt()
    {
        var model = new TinyCausalLM();
        var tokenizer = new CharTokenizer(13);
        var generator = new SequenceGenerator(model, tokenizer);
        var options = new GenerationOptions(MaxNewTokens: 16, DoSample: false);
        var free = generator.Generate(Prompts, options);
        string fullText = free[3].Text!;
        Assert.Equal(tokenizer.Decode(free[3].TokenIds, true), fullText);
        string stop = fullText.Substring(4, 2);
        int at = fullText.IndexOf(stop, StringComparison.Ordinal);

        var stopped = generator.Generate(Prompts, options with { StopStrings = new[] { stop, "zz-never" } });
        Assert.Equal(FinishReason.StopString, stopped[3].FinishReason);
        Assert.Equal(fullText[..at], stopped[3].Text);
        // One character per token here: generation ends with the token that completed the stop string.
        Assert.Equal(free[3].TokenIds.Take(at + stop.Length), stopped[3].TokenIds);
        for (int r = 0; r < Prompts.Length; r++)
        {
            int rowAt = free[r].Text!.IndexOf(stop, StringComparison.Ordinal);
            Assert.Equal(rowAt < 0 ? free[r].Text : free[r].Text![..rowAt], stopped[r].Text);
        }
    }

    [Fact]
    public void StopStringsWithoutATokenizerAreAClearError()
    {
        var generator = new SequenceGenerator(new TinyCausalLM());
        var error = Assert.Throws<ArgumentException>(() => generator.Generate(Prompts, new GenerationOptions(StopStrings: new[] { "x" })));
        Assert.Contains("tokenizer", error.Message);
    }

    [Fact]
    public void ReturnedLogProbsEqualTheScorersUnderTheUnmodifiedDistribution()
    {
        var model = new TinyCausalLM();
        // Sampled with temperature and filters: the log-probs must still be those of the plain model.
        var results = new SequenceGenerator(model).Generate(Prompts, new GenerationOptions(MaxNewTokens: 10, Temperature: 0.7, TopK: 6, TopP: 0.9, Seed: 5));
        var scores = new CompletionScorer(model).Score(Prompts.Select((p, r) => new ScoringRow(p, results[r].TokenIds)).ToArray());
        for (int r = 0; r < Prompts.Length; r++)
        {
            Assert.Equal(scores[r].TokenCount, results[r].LogProbs.Length);
            for (int j = 0; j < scores[r].TokenCount; j++) Assert.Equal(scores[r].TokenLogProbs[j], results[r].LogProbs[j], 4);
        }
    }

    [Fact]
    public void GenerationLeavesNoLiveTensors()
    {
        var model = new TinyCausalLM();
        var generator = new SequenceGenerator(model);
        var options = new GenerationOptions(MaxNewTokens: 8, Seed: 1, StopTokenIds: new[] { 3 });
        generator.Generate(Prompts, options); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) generator.Generate(Prompts, options with { Seed = i, UseKvCache = i % 2 == 0 });
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after - before <= 0, $"live tensors grew from {before} to {after}");
    }
}
