using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Scoring;

/// <summary>
/// Process memory can only be measured with nothing else running in the process: this class is in a
/// collection xunit runs alone, after the parallel tests (it was flaky when other tests allocated meanwhile).
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class ScoringMemoryTests
{
    [Fact]
    public void ScoringAThousandRowsLeavesNoLiveTensorsAndDoesNotGrowMemory()
    {
        var model = new TinyCausalLM();
        var scorer = new CompletionScorer(model, new ScoringOptions(ChunkPositions: 16, MaxBatchRows: 8));
        var random = new Random(11);
        var rows = Enumerable.Range(0, 1000).Select(_ => new ScoringRow(
            Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(13)).ToArray(),
            Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(13)).ToArray())).ToArray();

        scorer.ScoreMany(rows.Take(50).ToArray()); // warm-up: allocator and JIT
        using (var training = NewDisposeScope()) scorer.LogProbs(rows.Take(8).ToArray()).Sum.sum().backward();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = Environment.WorkingSet;

        scorer.ScoreMany(rows);
        for (int i = 0; i < 100; i++)
        {
            using var step = NewDisposeScope();
            using var result = scorer.LogProbs(rows.Skip(i * 8).Take(8).ToArray());
            result.Sum.sum().backward();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssGrowth = Environment.WorkingSet - rssBefore;
        // Parameter gradients are created once by the warm-up backward, then accumulated in place.
        Assert.True(liveAfter - liveBefore <= 2, $"live tensors grew from {liveBefore} to {liveAfter}");
        Assert.True(rssGrowth < 64L << 20, $"resident memory grew by {rssGrowth >> 20} MiB");
    }
}
