namespace AlignSharp.Training;

/// <summary>
/// Which examples every optimizer step uses. Each epoch's permutation (<see cref="EpochPermutation"/>) is
/// cut into micro-batches of <c>per_device_train_batch_size</c> (the last one may be short), and every
/// <c>gradient_accumulation_steps</c> consecutive micro-batches form one optimizer step (the last step of
/// an epoch may have fewer). A global step therefore determines its epoch and position exactly, which is
/// what makes resume exact.
/// </summary>
public sealed class BatchPlan
{
    public BatchPlan(int exampleCount, int microBatchSize, int accumulationSteps, long seed)
    {
        if (exampleCount < 1) throw new ArgumentException("the training set is empty; there is nothing to train on", nameof(exampleCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(accumulationSteps, 1);
        ExampleCount = exampleCount;
        MicroBatchSize = microBatchSize;
        AccumulationSteps = accumulationSteps;
        Seed = seed;
        MicroBatchesPerEpoch = (exampleCount + microBatchSize - 1) / microBatchSize;
        StepsPerEpoch = (MicroBatchesPerEpoch + accumulationSteps - 1) / accumulationSteps;
    }

    public int ExampleCount { get; }
    public int MicroBatchSize { get; }
    public int AccumulationSteps { get; }
    public long Seed { get; }
    public int MicroBatchesPerEpoch { get; }
    public int StepsPerEpoch { get; }

    /// <summary>Where the step after <paramref name="completedSteps"/> completed steps starts reading.</summary>
    public DataPosition PositionAfter(int completedSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completedSteps);
        int epoch = completedSteps / StepsPerEpoch;
        int microBatch = completedSteps % StepsPerEpoch * AccumulationSteps;
        return new DataPosition(epoch, microBatch, microBatch * MicroBatchSize, completedSteps);
    }

    /// <summary>The example indices of each micro-batch of the step that starts at <paramref name="position"/>.</summary>
    public IReadOnlyList<int[]> MicroBatchesAt(DataPosition position, int[] epochPermutation)
    {
        if (epochPermutation.Length != ExampleCount)
            throw new ArgumentException($"the permutation has {epochPermutation.Length} entries, the plan {ExampleCount} examples", nameof(epochPermutation));
        int last = Math.Min(position.MicroBatchInEpoch + AccumulationSteps, MicroBatchesPerEpoch);
        var microBatches = new List<int[]>(last - position.MicroBatchInEpoch);
        for (int m = position.MicroBatchInEpoch; m < last; m++)
        {
            int start = m * MicroBatchSize;
            int end = Math.Min(start + MicroBatchSize, ExampleCount);
            microBatches.Add(epochPermutation[start..end]);
        }
        return microBatches;
    }

    /// <summary>The permutation of <paramref name="epoch"/>.</summary>
    public int[] Permutation(int epoch) => EpochPermutation.Create(ExampleCount, Seed, epoch);

    /// <summary>transformers' fractional epoch after <paramref name="completedSteps"/> steps.</summary>
    public double EpochAfter(int completedSteps) => (double)completedSteps / StepsPerEpoch;
}
