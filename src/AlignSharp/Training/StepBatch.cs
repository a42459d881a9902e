namespace AlignSharp.Training;

/// <summary>
/// One optimizer step's examples as micro-batches, and metrics that belong to the step's data rather than to a
/// micro-batch's loss (an online source's rewards, completion lengths and time split): logged as they are.
/// With <see cref="ReportStepTime"/> the loop adds the step's time split to them: <c>timing/update</c> (forward,
/// backward and optimizer step) and <c>step_time</c> (the whole step, drawing the examples included; TRL's name).
/// </summary>
public sealed record StepBatch<TExample>(IReadOnlyList<IReadOnlyList<TExample>> MicroBatches, IReadOnlyDictionary<string, double> Metrics)
{
    public bool ReportStepTime { get; init; }

    public static StepBatch<TExample> Of(IReadOnlyList<IReadOnlyList<TExample>> microBatches) =>
        new(microBatches, new Dictionary<string, double>(StringComparer.Ordinal));
}
