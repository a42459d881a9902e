namespace AlignSharp.Cli.Experiments;

/// <summary>
/// A small reproduction of a paper's claim: <c>alignsharp experiment NAME</c> runs it and writes a
/// Markdown report with its tables and PNG plots into the output folder. Implementations are found
/// by reflection (<see cref="ExperimentRegistry"/>), so adding one is adding one class.
/// </summary>
public interface IExperiment
{
    /// <summary>The command-line name, e.g. "ift-frozenlake".</summary>
    string Name { get; }

    /// <summary>One line: what it reproduces.</summary>
    string Description { get; }

    /// <summary>Runs the experiment and writes <c>report.md</c> (and its plots) into <see cref="ExperimentSettings.OutputDir"/>.</summary>
    ExperimentReport Run(ExperimentSettings settings);
}

/// <summary>
/// How to run an experiment. <paramref name="Quick"/> is the small version the tests run (fewer
/// steps/seeds); the full version is what the committed report comes from.
/// </summary>
public sealed record ExperimentSettings(string OutputDir, bool Quick, IReadOnlyList<int>? Seeds = null, int Threads = 1, Action<string>? Log = null)
{
    public void Say(string line) => (Log ?? Console.Error.WriteLine)(line);
}

/// <summary>Where the report went and the headline numbers, so callers (and tests) can check them.</summary>
public sealed record ExperimentReport(string ReportPath, IReadOnlyDictionary<string, double> Headline);
