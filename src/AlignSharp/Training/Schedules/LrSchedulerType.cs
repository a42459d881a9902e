namespace AlignSharp.Training.Schedules;

/// <summary>The learning-rate schedules, as transformers' <c>lr_scheduler_type</c> names them.</summary>
public enum LrSchedulerType
{
    /// <summary><c>constant</c>: multiplier 1 throughout (no warmup).</summary>
    Constant,

    /// <summary><c>constant_with_warmup</c>: linear warmup from 0 to 1, then 1.</summary>
    ConstantWithWarmup,

    /// <summary><c>linear</c>: linear warmup, then linear decay to 0 at the last step (transformers' default).</summary>
    Linear,

    /// <summary><c>cosine</c>: linear warmup, then half a cosine down to 0 at the last step.</summary>
    Cosine,
}

/// <summary>Config names of <see cref="LrSchedulerType"/>.</summary>
public static class LrSchedulerTypes
{
    public static IReadOnlyList<string> KnownNames { get; } = ["constant", "constant_with_warmup", "linear", "cosine"];

    public static LrSchedulerType Parse(string name) => name switch
    {
        "constant" => LrSchedulerType.Constant,
        "constant_with_warmup" => LrSchedulerType.ConstantWithWarmup,
        "linear" => LrSchedulerType.Linear,
        "cosine" => LrSchedulerType.Cosine,
        _ => throw new ArgumentException(
            $"unknown lr_scheduler_type '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this LrSchedulerType type) => type switch
    {
        LrSchedulerType.Constant => "constant",
        LrSchedulerType.ConstantWithWarmup => "constant_with_warmup",
        LrSchedulerType.Linear => "linear",
        LrSchedulerType.Cosine => "cosine",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown lr_scheduler_type"),
    };
}
