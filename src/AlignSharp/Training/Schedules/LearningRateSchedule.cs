namespace AlignSharp.Training.Schedules;

/// <summary>
/// A learning-rate multiplier per optimizer step, exactly as transformers' <c>get_*_schedule_with_warmup</c>
/// lambdas: step s is the number of optimizer steps already taken, so the first update uses
/// multiplier(0) (which is 0 when there is warmup) and multiplier(total) is where the schedule ends.
/// Pure: no optimizer, no state.
/// </summary>
public sealed class LearningRateSchedule
{
    // transformers' cosine default: half a cosine wave, from 1 down to 0.
    private const double CosineCycles = 0.5;

    public LearningRateSchedule(LrSchedulerType type, int totalSteps, int warmupSteps)
    {
        if (totalSteps <= 0)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "the schedule needs at least one optimizer step");
        if (warmupSteps < 0 || warmupSteps > totalSteps)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps,
                $"warmup_steps must be between 0 and the total of {totalSteps} optimizer steps");
        if (type == LrSchedulerType.Constant && warmupSteps > 0)
            throw new ArgumentException(
                $"lr_scheduler_type 'constant' has no warmup (transformers would silently ignore the {warmupSteps} warmup steps); use 'constant_with_warmup'",
                nameof(warmupSteps));
        Type = type;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
    }

    public LrSchedulerType Type { get; }

    public int TotalSteps { get; }

    public int WarmupSteps { get; }

    /// <summary>Builds a schedule from config values for a run of <paramref name="totalSteps"/> optimizer steps.</summary>
    public static LearningRateSchedule Create(LearningRateScheduleOptions options, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(options);
        var type = LrSchedulerTypes.Parse(options.LrSchedulerType);
        return new LearningRateSchedule(type, totalSteps, ResolveWarmupSteps(totalSteps, options.WarmupSteps, options.WarmupRatio));
    }

    /// <summary>transformers' <c>get_warmup_steps</c>: warmup_steps if set, else ceil(total · warmup_ratio).</summary>
    public static int ResolveWarmupSteps(int totalSteps, int warmupSteps, double warmupRatio)
    {
        if (warmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmup_steps must be >= 0");
        if (!(warmupRatio >= 0 && warmupRatio <= 1))
            throw new ArgumentOutOfRangeException(nameof(warmupRatio), warmupRatio, "warmup_ratio must be in [0, 1]");
        if (warmupSteps > 0 && warmupRatio > 0)
            throw new ArgumentException(
                $"set warmup_steps ({warmupSteps}) or warmup_ratio ({warmupRatio}), not both (transformers would silently use warmup_steps)",
                nameof(warmupRatio));
        return warmupSteps > 0 ? warmupSteps : (int)Math.Ceiling(totalSteps * warmupRatio);
    }

    /// <summary>The multiplier of the base learning rate after <paramref name="step"/> optimizer steps (0 ≤ step ≤ total).</summary>
    public double Multiplier(int step)
    {
        // Past the end transformers' cosine would climb again; a loop that gets here has miscounted.
        if (step < 0 || step > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be between 0 and the total of {TotalSteps} optimizer steps");
        return Multiplier(Type, step, WarmupSteps, TotalSteps);
    }

    /// <summary>The formula itself (transformers' lambdas), without range checks.</summary>
    public static double Multiplier(LrSchedulerType type, int step, int warmupSteps, int totalSteps)
    {
        if (type != LrSchedulerType.Constant && step < warmupSteps)
            return (double)step / Math.Max(1, warmupSteps);
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return type switch
        {
            LrSchedulerType.Constant or LrSchedulerType.ConstantWithWarmup => 1.0,
            LrSchedulerType.Linear => Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps)),
            LrSchedulerType.Cosine => Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * CosineCycles * 2.0 * progress))),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown lr_scheduler_type"),
        };
    }
}
