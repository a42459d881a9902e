using AlignSharp.Cli.Experiments;

namespace AlignSharp.Tests.Rollouts;

public sealed class OnlineArithmeticExperimentTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-online-arithmetic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TheQuickVersionWritesAReportWithFiniteNumbersAndPlots()
    {
        ExperimentReport report = ExperimentRegistry.ByName("online-arithmetic").Run(new ExperimentSettings(_folder, Quick: true, Log: _ => { }));
        string text = File.ReadAllText(report.ReportPath);
        foreach (string row in new[] { "| SFT |", "| GRPO |", "| RLOO |", "Reward hacking" })
            Assert.Contains(row, text);
        Assert.DoesNotContain("NaN", text);
        Assert.Equal(6, report.Headline.Count);
        Assert.All(report.Headline.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0, report.Headline["SFT/kl"]); // the SFT model against itself
        Assert.True(File.Exists(Path.Combine(_folder, "accuracy_vs_kl.png")));
        Assert.True(File.Exists(Path.Combine(_folder, "reward_hacking.png")));
    }
}
