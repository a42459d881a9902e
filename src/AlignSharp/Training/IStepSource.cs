namespace AlignSharp.Training;

/// <summary>
/// Where <see cref="TrainingLoop"/> gets each optimizer step's examples (DESIGN.md's "source"): a fixed dataset
/// read in a seeded order (<see cref="DatasetStepSource{TExample}"/>), or fresh samples from the policy being trained
/// (<c>Rollouts.RolloutSource</c>). The loop calls <see cref="Step"/> once per optimizer step, in order; everything else
/// (optimizer, schedule, accumulation, clipping, NaN stop, checkpoints, metrics) stays the loop's.
/// </summary>
/// <remarks>
/// A source must be resumable exactly: what step k draws depends only on k, the settings and the state it writes into
/// the checkpoint with <see cref="SaveState"/>, so a run resumed at step k continues the uninterrupted run's curve.
/// </remarks>
public interface IStepSource<TExample>
{
    /// <summary>Rows of the underlying data (examples, or prompts of an online source): checked on resume.</summary>
    int ExampleCount { get; }

    /// <summary>per_device_train_batch_size: examples per micro-batch.</summary>
    int MicroBatchSize { get; }

    /// <summary>gradient_accumulation_steps: micro-batches per optimizer step.</summary>
    int AccumulationSteps { get; }

    /// <summary>Optimizer steps per pass over <see cref="ExampleCount"/> rows (what num_train_epochs multiplies).</summary>
    int StepsPerEpoch { get; }

    /// <summary>Mean tokens per optimizer step for the start report; null when unknown before the run (sampled completions).</summary>
    double? TokensPerStep { get; }

    /// <summary>Where the step after <paramref name="completedSteps"/> steps reads (saved in trainer_state.json, checked on resume).</summary>
    DataPosition PositionAfter(int completedSteps);

    /// <summary>The micro-batches of the step after <paramref name="completedSteps"/> steps, and metrics of the step's data.</summary>
    StepBatch<TExample> Step(int completedSteps);

    /// <summary>Writes whatever beyond the step number a resume needs into a checkpoint folder being written (nothing for a dataset).</summary>
    void SaveState(string checkpointFolder, int completedSteps);

    /// <summary>Reads back what <see cref="SaveState"/> wrote, before the step after <paramref name="completedSteps"/> is drawn.</summary>
    void RestoreState(string checkpointFolder, int completedSteps);
}
