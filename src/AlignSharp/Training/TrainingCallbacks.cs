namespace AlignSharp.Training;

/// <summary>
/// How the loop reports to its caller (the CLI draws the console UI from these) and asks for evaluations.
/// Every member is optional. Callbacks run on the training thread, between steps.
/// </summary>
public sealed record TrainingCallbacks
{
    /// <summary>Once, before the first step: the effective batch and the length of the run.</summary>
    public Action<TrainingStart>? OnStart { get; init; }

    /// <summary>After every optimizer step: step, loss, learning rate, tokens/s, ETA.</summary>
    public Action<TrainingProgress>? OnStep { get; init; }

    /// <summary>Each row written to <c>metrics.jsonl</c> (training rows and <c>eval_</c> rows).</summary>
    public Action<MetricsRow>? OnLog { get; init; }

    /// <summary>The folder of each checkpoint once it is complete.</summary>
    public Action<string>? OnCheckpoint { get; init; }

    /// <summary>
    /// Evaluation every <c>eval_steps</c>, given the step just completed; returns metrics by name, logged with an
    /// <c>eval_</c> prefix. The loop calls it with the model in eval mode, under no_grad and a dispose scope.
    /// </summary>
    public Func<int, IReadOnlyDictionary<string, double>>? Evaluate { get; init; }
}
