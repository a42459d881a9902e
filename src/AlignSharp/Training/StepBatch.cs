namespace AlignSharp.Training;

/// <summary>
/// One optimizer step's examples as micro-batches, and metrics that belong to the step's data rather than to a
/// micro-batch's loss (an online source's rewards, completion lengths and time split): logged as they are.
/// </summary>
public sealed record StepBatch<TExample>(IReadOnlyList<IReadOnlyList<TExample>> MicroBatches, IReadOnlyDictionary<string, double> Metrics)
{
    public static StepBatch<TExample> Of(IReadOnlyList<IReadOnlyList<TExample>> microBatches) =>
        new(microBatches, new Dictionary<string, double>(StringComparer.Ordinal));
}
