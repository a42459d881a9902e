namespace AlignSharp.Training;

/// <summary>After one optimizer step: what a progress line shows.</summary>
/// <param name="Step">Optimizer steps completed (1-based number of the step just taken).</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">Fractional epoch.</param>
/// <param name="Loss">This step's loss (summed over its micro-batches, i.e. the full-batch loss).</param>
/// <param name="LearningRate">The learning rate this step's update used.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="TokensPerSecond">Tokens processed per second since this process started training.</param>
/// <param name="Elapsed">Time since this process started training.</param>
/// <param name="Eta">Estimated time to the last step, from the mean step time so far.</param>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    double Epoch,
    double Loss,
    double LearningRate,
    double GradNorm,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta);
