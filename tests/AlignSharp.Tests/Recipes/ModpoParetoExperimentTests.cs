using AlignSharp.Cli.Experiments;

namespace AlignSharp.Tests.Recipes;

/// <summary>The modpo-pareto experiment end to end in its quick version: it runs, and writes a report with its table and plot.</summary>
public sealed class ModpoParetoExperimentTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-modpo-pareto-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void QuickVersionWritesTheReportTableAndPlot()
    {
        var experiment = ExperimentRegistry.ByName("modpo-pareto");
        var report = experiment.Run(new ExperimentSettings(_folder, Quick: true, Log: _ => { }));

        string text = File.ReadAllText(report.ReportPath);
        Assert.Contains("| MODPO | 0.5 |", text);
        Assert.Contains("| DPO mix | 0.5 |", text);
        Assert.Contains("pareto.png", text);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_folder, "pareto.png")).Take(4));
        foreach (string key in new[] { "modpo_w0.5_sentiment", "modpo_w0.5_brevity", "dpo_mix_w0.5_sentiment", "sft_brevity" })
            Assert.True(double.IsFinite(report.Headline[key]), key);
        // Brevity is −characters/10 of real completions: never positive.
        Assert.True(report.Headline["modpo_w0.5_brevity"] <= 0);
    }
}
