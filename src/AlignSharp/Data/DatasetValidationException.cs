namespace AlignSharp.Data;

/// <summary>The dataset has rows that cannot be trained on; the message lists them with file and line.</summary>
public sealed class DatasetValidationException(IReadOnlyList<DatasetProblem> problems, int maxShown, string? summary = null)
    : Exception(summary ?? $"{problems.Count} dataset problem(s) found before training (use --skip-invalid to drop these rows): " + List(problems, maxShown))
{
    public IReadOnlyList<DatasetProblem> Problems { get; } = problems;

    /// <summary>The first <paramref name="maxShown"/> problems, one per line, then how many more there are.</summary>
    public static string List(IReadOnlyList<DatasetProblem> problems, int maxShown)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var shown = problems.Take(Math.Max(0, maxShown)).Select(p => "\n  " + p);
        string more = problems.Count > maxShown ? $"\n  ... and {problems.Count - maxShown} more" : "";
        return string.Concat(shown) + more;
    }
}
