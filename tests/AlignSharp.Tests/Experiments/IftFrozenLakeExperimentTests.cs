using System.Globalization;
using System.Text.RegularExpressions;
using AlignSharp.Cli.Experiments;
using AlignSharp.Tests.Checkpoints;

namespace AlignSharp.Tests.Experiments;

public class IftFrozenLakeExperimentTests
{
    [Fact]
    public void The_experiment_is_registered()
    {
        Assert.Contains(ExperimentRegistry.All(), e => e.Name == "ift-frozenlake");
        Assert.IsType<IftFrozenLakeExperiment>(ExperimentRegistry.ByName("ift-frozenlake"));
    }

    [Fact]
    public void Quick_run_writes_a_report_with_finite_numbers_and_its_plots()
    {
        using var folder = new TemporaryFolder();
        var lines = new List<string>();
        var report = new IftFrozenLakeExperiment().Run(new ExperimentSettings(folder.Path, Quick: true, Log: lines.Add));

        Assert.True(File.Exists(report.ReportPath));
        foreach (string method in new[] { "SFT", "IFT", "DPO", "ORPO", "SFT→DPO" })
        {
            Assert.True(report.Headline.TryGetValue($"mse/{method}", out double mse), method);
            Assert.True(double.IsFinite(mse) && mse >= 0 && mse <= 1, $"{method}: {mse}");
        }
        string text = File.ReadAllText(report.ReportPath);
        Assert.Contains("## Configuration", text);
        Assert.Contains("## Against the paper", text);
        Assert.Contains("--quick", text);
        // The results table has a finite "mean ± sd" for each of 5 methods × 2 state sets, and nothing is NaN or infinite.
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("∞", text);
        var cells = Regex.Matches(text, @"(-?\d+\.\d+) ± (-?\d+\.\d+)");
        Assert.True(cells.Count >= 10, $"{cells.Count} mean ± sd cells");
        foreach (Match cell in cells)
        {
            Assert.True(double.TryParse(cell.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double mean) && double.IsFinite(mean), cell.Value);
            Assert.True(double.TryParse(cell.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double sd) && double.IsFinite(sd), cell.Value);
        }
        foreach (string png in new[] { "mse_by_method.png", "mse_by_step.png" })
        {
            string path = Path.Combine(folder.Path, png);
            Assert.True(File.Exists(path), png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path).Take(4).ToArray());
        }
        Assert.Equal(5 * 2, lines.Count);
    }
}
