namespace AlignSharp.Training;

/// <summary>
/// The shape of a run, reported before the first step so nobody has to guess the effective batch
/// (sequences and tokens per optimizer step) or how long the run is.
/// </summary>
/// <param name="Examples">Training examples.</param>
/// <param name="MicroBatchSize">per_device_train_batch_size.</param>
/// <param name="AccumulationSteps">gradient_accumulation_steps.</param>
/// <param name="ExamplesPerStep">Effective batch: examples per optimizer step (the last step of an epoch may have fewer).</param>
/// <param name="TokensPerStep">Mean tokens per optimizer step over an epoch; NaN when not known before the run (sampled completions).</param>
/// <param name="StepsPerEpoch">Optimizer steps per pass over the data.</param>
/// <param name="TotalSteps">Optimizer steps of the whole run (the schedule's length).</param>
/// <param name="WarmupSteps">Warmup steps of the schedule.</param>
/// <param name="TrainableParameters">Elements in the parameters the optimizer updates.</param>
/// <param name="StartStep">Steps already done (0, or the resumed checkpoint's step).</param>
/// <param name="ResumedFrom">The checkpoint folder resumed from, if any.</param>
public sealed record TrainingStart(
    int Examples,
    int MicroBatchSize,
    int AccumulationSteps,
    int ExamplesPerStep,
    double TokensPerStep,
    int StepsPerEpoch,
    int TotalSteps,
    int WarmupSteps,
    long TrainableParameters,
    int StartStep,
    string? ResumedFrom);
