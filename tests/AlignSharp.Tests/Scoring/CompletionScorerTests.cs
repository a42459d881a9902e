using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Scoring;

public class CompletionScorerTests
{
    static readonly ScoringRow[] Rows =
    {
        new(new[] { 1, 2, 3 }, new[] { 4, 5 }),
        new(new[] { 7 }, new[] { 8, 9, 10, 11, 12, 0 }),
        new(new[] { 2, 2, 2, 2, 2, 2 }, new[] { 3 }),
        new(new[] { 5, 6 }, new[] { 7, 8, 9 }),
    };

    /// <summary>The reference: one unpadded row, full-vocabulary fp32 log_softmax, summed by hand.</summary>
    static double[] NaiveTokenLogProbs(TinyCausalLM model, ScoringRow row)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = row.PromptIds.Concat(row.CompletionIds).Select(i => (long)i).ToArray();
        Tensor input = tensor(ids, new long[] { 1, ids.Length });
        Tensor logProbs = model.Logits(model.Hidden(input)).to_type(ScalarType.Float64).log_softmax(-1)[0];
        return row.CompletionIds.Select((token, j) => logProbs[row.PromptIds.Count + j - 1, token].item<double>()).ToArray();
    }

    [Fact]
    public void ScoresEqualANaiveFullLogitsComputation()
    {
        var model = new TinyCausalLM();
        var scores = new CompletionScorer(model).Score(Rows);
        for (int r = 0; r < Rows.Length; r++)
        {
            double[] expected = NaiveTokenLogProbs(model, Rows[r]);
            Assert.Equal(expected.Length, scores[r].TokenCount);
            Assert.Equal(expected.Length, scores[r].TokenLogProbs.Length);
            for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], scores[r].TokenLogProbs[j], 4);
            Assert.Equal(expected.Sum(), scores[r].SumLogProb, 4);
        }
    }

    [Fact]
    public void DifferentiableVersionMatchesAndHasGradients()
    {
        var model = new TinyCausalLM();
        using var scope = NewDisposeScope();
        using var result = new CompletionScorer(model).LogProbs(Rows);
        Assert.True(result.Sum.requires_grad);
        Assert.Equal(new long[] { Rows.Length, 6 }, result.TokenLogProbs.shape);
        float[] mask = result.CompletionMask.data<float>().ToArray();
        float[] tokens = result.TokenLogProbs.detach().data<float>().ToArray();
        long[] counts = result.TokenCount.data<long>().ToArray();
        for (int r = 0; r < Rows.Length; r++)
        {
            double[] expected = NaiveTokenLogProbs(model, Rows[r]);
            Assert.Equal(expected.Length, counts[r]);
            Assert.Equal(expected.Sum(), result.Sum[r].item<float>(), 4);
            for (int j = 0; j < 6; j++)
            {
                bool real = j < expected.Length;
                Assert.Equal(real ? 1f : 0f, mask[r * 6 + j]);
                if (real) Assert.Equal(expected[j], tokens[r * 6 + j], 4);
                else Assert.Equal(0f, tokens[r * 6 + j]); // padding is exactly zero, so sums need no mask
            }
        }

        result.Sum.sum().backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"no gradient reached {name}");
        }
    }

    [Fact]
    public void RecomputingChunksInBackwardGivesTheGradientsOfThePlainGraph()
    {
        var model = new TinyCausalLM();
        var batch = RightPaddedBatch.Build(Rows, model.VocabSize);
        Dictionary<string, float[]> Gradients(Func<Tensor, Tensor, Tensor> gather)
        {
            model.zero_grad();
            using var scope = NewDisposeScope();
            Tensor ids = tensor(batch.InputIds, new long[] { batch.Rows, batch.Time });
            Tensor hidden = model.Hidden(ids, tensor(batch.AttentionMask, new long[] { batch.Rows, batch.Time }));
            Tensor selected = hidden.reshape(-1, hidden.shape[^1]).index_select(0, tensor(batch.PredictingPositions));
            Tensor logProbs = gather(selected, tensor(batch.TargetIds));
            // Uneven weights so each position's gradient matters.
            (logProbs * arange(1, logProbs.shape[0] + 1, dtype: ScalarType.Float32)).sum().backward();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        }
        var recomputed = Gradients((h, t) => ChunkedLogProbs.Gather(model, h, t, chunkPositions: 3, keptLogitsBudgetBytes: 0));
        var plain = Gradients((h, t) => ChunkedLogProbs.GatherKeepingGraph(model, h, t, chunkPositions: 1000));
        foreach (var (name, expected) in plain)
        {
            Assert.Contains(expected, g => g != 0);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - recomputed[name][i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"{name}[{i}]: {expected[i]} vs {recomputed[name][i]}");
        }
    }

    [Fact]
    public void ARowAloneEqualsTheSameRowInAPaddedBatchWithLongerRows()
    {
        var model = new TinyCausalLM();
        var scorer = new CompletionScorer(model);
        var shortRow = new ScoringRow(new[] { 3, 1 }, new[] { 4, 1, 5 });
        var alone = scorer.Score(new[] { shortRow })[0];
        var longer1 = new ScoringRow(Enumerable.Range(0, 20).Select(i => i % 13).ToArray(), new[] { 9, 2, 6, 5, 3, 5, 8, 9, 7 });
        var longer2 = new ScoringRow(new[] { 12 }, Enumerable.Range(0, 25).Select(i => (i * 7) % 13).ToArray());
        var inBatch = scorer.Score(new[] { longer1, shortRow, longer2 })[1];
        Assert.Equal(alone.TokenCount, inBatch.TokenCount);
        for (int j = 0; j < alone.TokenCount; j++) Assert.Equal(alone.TokenLogProbs[j], inBatch.TokenLogProbs[j], 5);
        Assert.Equal(alone.SumLogProb, inBatch.SumLogProb, 5);
    }

    [Fact]
    public void PromptTokensNeverCount()
    {
        var model = new TinyCausalLM();
        var scorer = new CompletionScorer(model);
        // The same token sequence split at two places: moving token 3 into the completion adds exactly its own log-prob.
        var split3 = new ScoringRow(new[] { 1, 2, 3 }, new[] { 4, 5 });
        var split2 = new ScoringRow(new[] { 1, 2 }, new[] { 3, 4, 5 });
        var scores = scorer.Score(new[] { split3, split2 });
        Assert.Equal(2, scores[0].TokenCount);
        Assert.Equal(3, scores[1].TokenCount);
        double logProbOf3 = NaiveTokenLogProbs(model, split2)[0];
        Assert.Equal(scores[0].SumLogProb + logProbOf3, scores[1].SumLogProb, 4);
        Assert.Equal(scores[0].TokenLogProbs[0], scores[1].TokenLogProbs[1], 5);
        Assert.Equal(scores[0].TokenLogProbs[1], scores[1].TokenLogProbs[2], 5);

        // Changing a completion token changes the score; changing a prompt token changes only the conditioning,
        // never the count, and an empty completion scores exactly 0.
        var otherCompletion = scorer.Score(new[] { split3 with { CompletionIds = new[] { 4, 6 } } })[0];
        Assert.NotEqual(scores[0].SumLogProb, otherCompletion.SumLogProb);
        Assert.Equal(scores[0].TokenLogProbs[0], otherCompletion.TokenLogProbs[0], 5);
        var empty = scorer.Score(new[] { new ScoringRow(new[] { 1, 2, 3 }, Array.Empty<int>()) })[0];
        Assert.Equal(0, empty.TokenCount);
        Assert.Equal(0.0, empty.SumLogProb);
    }

    [Fact]
    public void ATinyChunkEqualsNoChunking()
    {
        var model = new TinyCausalLM();
        var chunked = new CompletionScorer(model, new ScoringOptions(ChunkPositions: 1)).Score(Rows);
        var whole = new CompletionScorer(model, new ScoringOptions(ChunkPositions: 100_000)).Score(Rows);
        for (int r = 0; r < Rows.Length; r++)
        {
            // Equal up to fp32 rounding (the projection's matmul blocks differently for 1 row than for many).
            Assert.Equal(whole[r].TokenCount, chunked[r].TokenCount);
            for (int j = 0; j < whole[r].TokenCount; j++) Assert.Equal(whole[r].TokenLogProbs[j], chunked[r].TokenLogProbs[j], 5);
            Assert.Equal(whole[r].SumLogProb, chunked[r].SumLogProb, 5);
        }
    }

    [Fact]
    public void AnEmptyPromptIsAClearError()
    {
        var scorer = new CompletionScorer(new TinyCausalLM());
        var error = Assert.Throws<ArgumentException>(() => scorer.Score(new[] { Rows[0], new ScoringRow(Array.Empty<int>(), new[] { 1 }) }));
        Assert.Contains("row 1", error.Message);
        var outOfVocabulary = Assert.Throws<ArgumentException>(() => scorer.Score(new[] { new ScoringRow(new[] { 1 }, new[] { 2, 13 }) }));
        Assert.Contains("row 0: completion token 1 has id 13", outOfVocabulary.Message);
    }

    [Fact]
    public void ScoreManyBatchesByLengthAndReturnsInputOrder()
    {
        var model = new TinyCausalLM();
        var random = new Random(7);
        var rows = Enumerable.Range(0, 23).Select(_ => new ScoringRow(
            Enumerable.Range(0, random.Next(1, 9)).Select(_ => random.Next(13)).ToArray(),
            Enumerable.Range(0, random.Next(0, 9)).Select(_ => random.Next(13)).ToArray())).ToArray();
        var options = new ScoringOptions(MaxBatchRows: 4, MaxBatchTokens: 40);
        var scorer = new CompletionScorer(model, options);
        var reports = new List<ScoringProgress>();
        var many = scorer.ScoreMany(rows, reports.Add);

        for (int r = 0; r < rows.Length; r++)
        {
            var alone = scorer.Score(new[] { rows[r] })[0];
            Assert.Equal(alone.TokenCount, many[r].TokenCount);
            Assert.Equal(alone.SumLogProb, many[r].SumLogProb, 4);
        }
        var batches = scorer.PlanBatches(rows);
        Assert.Equal(Enumerable.Range(0, rows.Length), batches.SelectMany(b => b).Order());
        foreach (var batch in batches)
        {
            int longest = batch.Max(i => rows[i].PromptIds.Count + rows[i].CompletionIds.Count);
            Assert.True(batch.Length <= 4);
            Assert.True(batch.Length == 1 || batch.Length * longest <= 40);
        }
        Assert.Equal(batches.Count, reports.Count);
        Assert.Equal(rows.Length, reports[^1].RowsDone);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.RowsDone < p.Second.RowsDone));
    }
}
