using AlignSharp.Training;

namespace AlignSharp.Tests.Training;

public class BatchPlanTests
{
    [Fact]
    public void APermutationDependsOnlyOnSeedAndEpoch()
    {
        var first = EpochPermutation.Create(50, seed: 7, epoch: 3);
        Assert.Equal(first, EpochPermutation.Create(50, seed: 7, epoch: 3));
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.NotEqual(first, EpochPermutation.Create(50, seed: 7, epoch: 4));
        Assert.NotEqual(first, EpochPermutation.Create(50, seed: 8, epoch: 3));
        Assert.NotEqual(Enumerable.Range(0, 50), first);
        // Pinned: the order must not change between versions, or old checkpoints would resume on other data.
        Assert.Equal(new[] { 3, 4, 0, 1, 2 }, EpochPermutation.Create(5, seed: 42, epoch: 0));
    }

    [Fact]
    public void StepsCoverEveryExampleOncePerEpochWithAShortLastStep()
    {
        var plan = new BatchPlan(exampleCount: 7, microBatchSize: 2, accumulationSteps: 3, seed: 1);
        Assert.Equal(4, plan.MicroBatchesPerEpoch); // 2 + 2 + 2 + 1
        Assert.Equal(2, plan.StepsPerEpoch);        // 3 micro-batches, then 1

        for (int epoch = 0; epoch < 2; epoch++)
        {
            var permutation = plan.Permutation(epoch);
            var first = plan.MicroBatchesAt(plan.PositionAfter(2 * epoch), permutation);
            var second = plan.MicroBatchesAt(plan.PositionAfter(2 * epoch + 1), permutation);
            Assert.Equal(new[] { 2, 2, 2 }, first.Select(b => b.Length));
            Assert.Equal(new[] { 1 }, second.Select(b => b.Length));
            Assert.Equal(permutation, first.Concat(second).SelectMany(b => b));
        }
        Assert.Equal(new DataPosition(1, 3, 6, 3), plan.PositionAfter(3));
        Assert.Equal(1.5, plan.EpochAfter(3));
    }
}
