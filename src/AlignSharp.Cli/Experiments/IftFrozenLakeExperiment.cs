using System.Diagnostics;
using System.Globalization;
using AlignSharp.Cli.Experiments.FrozenLake;
using AlignSharp.Tasks.FrozenLake;

namespace AlignSharp.Cli.Experiments;

/// <summary>
/// Issue 4's <c>ift-frozenlake</c>: the IFT paper's Frozen Lake study (§5.3, App. B.2; algorithms.md §1(d)).
/// SFT and IFT learn from the optimal trajectory, DPO and ORPO from (optimal, sub-optimal); each trained
/// policy's state-action table is compared with value iteration's optimal one by mean squared error.
/// </summary>
public sealed class IftFrozenLakeExperiment : IExperiment
{
    static readonly FrozenLakeMethod[] Methods =
        [FrozenLakeMethod.Sft, FrozenLakeMethod.Ift, FrozenLakeMethod.Dpo, FrozenLakeMethod.Orpo, FrozenLakeMethod.SftThenDpo];
    const string BarsFile = "mse_by_method.png";
    const string CurvesFile = "mse_by_step.png";

    public string Name => "ift-frozenlake";

    public string Description => "IFT paper's Frozen Lake study: SFT, IFT, DPO, ORPO policies vs the value-iteration optimum (table MSE)";

    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.Quick ? FrozenLakeStudyConfig.Quick : FrozenLakeStudyConfig.Full;
        IReadOnlyList<int> seeds = settings.Seeds ?? (settings.Quick ? [1, 2] : Enumerable.Range(1, 10).ToArray());
        if (seeds.Count == 0) throw new UserInputException("ift-frozenlake needs at least one seed");
        var study = FrozenLakeStudy.Create(FrozenLakeMap.TwoPaths, config.ValueIterationGamma);

        var clock = Stopwatch.StartNew();
        var runs = new List<FrozenLakeRun>();
        foreach (var method in Methods)
            foreach (int seed in seeds)
            {
                var run = FrozenLakeTrainer.Train(study, config, method, seed);
                settings.Say(string.Create(CultureInfo.InvariantCulture, $"{Label(method)} seed {seed}: MSE {run.FinalMse:0.0000} (optimal-path states {run.FinalMseOptimalPath:0.0000})"));
                runs.Add(run);
            }
        double seconds = clock.Elapsed.TotalSeconds;

        Directory.CreateDirectory(settings.OutputDir);
        var summary = Methods.Select(m => Summarise(m, runs.Where(r => r.Method == m).ToArray())).ToArray();
        FrozenLakePlots.FinalMseBars(Path.Combine(settings.OutputDir, BarsFile), summary.Select(s => (s.Label, s.Mean, s.Sd)).ToArray(), seeds.Count);
        FrozenLakePlots.Curves(Path.Combine(settings.OutputDir, CurvesFile), Methods.Select(m => MeanCurve(m, runs)).ToArray(), seeds.Count);

        var report = FrozenLakeReportWriter.Write(study, config, seeds, runs, summary, settings.Quick, seconds, BarsFile, CurvesFile);
        string path = report.Save(settings.OutputDir);
        var headline = summary.ToDictionary(s => $"mse/{s.Label}", s => s.Mean);
        return new ExperimentReport(path, headline);
    }

    internal static string Label(FrozenLakeMethod method) =>
        method == FrozenLakeMethod.SftThenDpo ? "SFT→DPO" : method.ToString().ToUpperInvariant();

    static FrozenLakeMethodSummary Summarise(FrozenLakeMethod method, IReadOnlyList<FrozenLakeRun> runs)
    {
        double[] finals = runs.Select(r => r.FinalMse).ToArray();
        double[] path = runs.Select(r => r.FinalMseOptimalPath).ToArray();
        return new FrozenLakeMethodSummary(method, Label(method), finals, path, finals.Average(), SampleSd(finals));
    }

    static (string, double[], double[]) MeanCurve(FrozenLakeMethod method, IReadOnlyList<FrozenLakeRun> runs)
    {
        var mine = runs.Where(r => r.Method == method).ToArray();
        double[] steps = mine[0].Curve.Select(p => (double)p.Step).ToArray();
        double[] mean = Enumerable.Range(0, steps.Length).Select(i => mine.Average(r => r.Curve[i].Mse)).ToArray();
        return (Label(method), steps, mean);
    }

    internal static double SampleSd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
