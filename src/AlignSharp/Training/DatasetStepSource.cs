namespace AlignSharp.Training;

/// <summary>
/// A fixed dataset as a step source: each epoch's seeded permutation cut into micro-batches and optimizer steps
/// (<see cref="BatchPlan"/>). A step's examples depend only on its number, so a checkpoint needs no state of it.
/// </summary>
public sealed class DatasetStepSource<TExample> : IStepSource<TExample>
{
    readonly IReadOnlyList<TExample> _data;
    readonly BatchPlan _plan;
    readonly long _tokensPerEpoch;
    int _permutationEpoch = -1;
    int[] _permutation = [];

    public DatasetStepSource(IReadOnlyList<TExample> data, TrainingOptions options, Func<TExample, long> tokens)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        _data = data;
        _plan = new BatchPlan(data.Count, options.PerDeviceTrainBatchSize, options.GradientAccumulationSteps, options.Seed);
        _tokensPerEpoch = data.Sum(tokens);
    }

    public int ExampleCount => _plan.ExampleCount;
    public int MicroBatchSize => _plan.MicroBatchSize;
    public int AccumulationSteps => _plan.AccumulationSteps;
    public int StepsPerEpoch => _plan.StepsPerEpoch;
    public double? TokensPerStep => (double)_tokensPerEpoch / _plan.StepsPerEpoch;

    public DataPosition PositionAfter(int completedSteps) => _plan.PositionAfter(completedSteps);

    public StepBatch<TExample> Step(int completedSteps)
    {
        var position = _plan.PositionAfter(completedSteps);
        if (position.Epoch != _permutationEpoch)
        {
            _permutation = _plan.Permutation(position.Epoch);
            _permutationEpoch = position.Epoch;
        }
        return StepBatch<TExample>.Of(_plan.MicroBatchesAt(position, _permutation)
            .Select(indices => (IReadOnlyList<TExample>)indices.Select(i => _data[i]).ToArray())
            .ToArray());
    }

    public void SaveState(string checkpointFolder, int completedSteps) { }

    public void RestoreState(string checkpointFolder, int completedSteps) { }
}
