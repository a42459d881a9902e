using System.Text.RegularExpressions;
using AlignSharp.Cli.Experiments;

namespace AlignSharp.Tests.Recipes;

public sealed class IftLmExperimentTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-ift-lm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheQuickVersionWritesAReportWithFiniteNumbersAndPlots()
    {
        IExperiment experiment = ExperimentRegistry.ByName("ift-lm");
        ExperimentReport report = experiment.Run(new ExperimentSettings(_folder, Quick: true, Log: _ => { }));

        Assert.True(File.Exists(report.ReportPath));
        string text = File.ReadAllText(report.ReportPath);
        foreach (string method in new[] { "| SFT |", "| IFT |", "| IFT (detached weights) |", "| SFT→DPO |" })
            Assert.Contains(method, text);
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("∞", text);
        Assert.Matches(new Regex(@"\| IFT \| -?\d+\.\d{3} ± \d+\.\d{3} \|"), text);
        Assert.Equal(8, report.Headline.Count);
        Assert.All(report.Headline.Values, v => Assert.True(double.IsFinite(v)));
        Assert.All(report.Headline.Where(h => h.Key.EndsWith("heldout_nll", StringComparison.Ordinal)), h => Assert.True(h.Value > 0));
        Assert.True(File.Exists(Path.Combine(_folder, "true_reward.png")));
        Assert.True(File.Exists(Path.Combine(_folder, "heldout_nll.png")));
    }
}
