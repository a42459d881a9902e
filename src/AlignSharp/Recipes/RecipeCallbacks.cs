using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>How a recipe talks to its caller: log lines (data report, effective batch, what was saved) and the loop's callbacks.</summary>
public sealed record RecipeCallbacks
{
    /// <summary>One line of the run's report; null discards them.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Progress, metrics rows and checkpoints of the training loop (the CLI draws its progress display from these).</summary>
    public TrainingCallbacks? Training { get; init; }

    internal void Write(string line) => Log?.Invoke(line);
}
