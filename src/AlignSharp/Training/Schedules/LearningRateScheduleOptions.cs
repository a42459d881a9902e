namespace AlignSharp.Training.Schedules;

/// <summary>Schedule settings under their transformers names (<c>lr_scheduler_type</c>, <c>warmup_ratio</c>, <c>warmup_steps</c>).</summary>
public sealed record LearningRateScheduleOptions
{
    /// <summary>One of <see cref="LrSchedulerTypes.KnownNames"/>; transformers' default is <c>linear</c>.</summary>
    public string LrSchedulerType { get; init; } = "linear";

    /// <summary>Warmup as a fraction of the total optimizer steps, rounded up (ceil), as transformers does.</summary>
    public double WarmupRatio { get; init; }

    /// <summary>Warmup in optimizer steps. Set this or <see cref="WarmupRatio"/>, not both.</summary>
    public int WarmupSteps { get; init; }
}
