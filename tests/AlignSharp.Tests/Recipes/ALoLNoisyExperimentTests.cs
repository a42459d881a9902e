using AlignSharp.Cli.Experiments;
using AlignSharp.Cli.Experiments.ALoLNoisy;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Recipes;

public sealed class ALoLNoisyExperimentTests
{
    [Fact]
    public void QuickRunWritesTheReportTableAndPlot()
    {
        string output = Directory.CreateTempSubdirectory("alignsharp-alol-noisy-").FullName;
        try
        {
            var lines = new List<string>();
            ExperimentReport report = new ALoLNoisyExperiment().Run(new ExperimentSettings(output, Quick: true, Log: lines.Add));
            string text = File.ReadAllText(report.ReportPath);
            foreach (string method in new[] { "nll", "wbc", "a_lol", "a_lol_ref_free", "a_lol_seq", "a_lol_kl" })
            {
                Assert.Contains($"| {method} |", text);
                Assert.True(double.IsFinite(report.Headline[$"{method}/reward"]));
                Assert.InRange(report.Headline[$"{method}/distinct-2"], 0, 1);
            }
            Assert.True(new FileInfo(Path.Combine(output, "alol-noisy.png")).Length > 1000);
            Assert.True(File.Exists(Path.Combine(output, "results.json")));
            Assert.Contains(ExperimentRegistry.All(), e => e.Name == "alol-noisy");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void DistinctNCountsUniqueOverAllNGrams()
    {
        Assert.Equal(4.0 / 6.0, DistinctNGrams.Compute(["a b c", "a b d"], 1), 12);
        Assert.Equal(3.0 / 4.0, DistinctNGrams.Compute(["a b c", "a b d"], 2), 12);
        Assert.Equal(0.0, DistinctNGrams.Compute(["a"], 2));
    }

    [Fact]
    public void NoisyRewardIsDeterministicClippedAndCentredOnTheTruth()
    {
        var truth = new DelegateReward("half", _ => 0.0); // maps to 0.5 in [0, 1]
        var noisy = new NoisyReward(truth, new NoisyRewardOptions { NoiseStd = 0.1, Seed = 3 });
        var inputs = Enumerable.Range(0, 4000).Select(i => new RewardInput($"p{i}", $"c{i}")).ToArray();
        var scores = noisy.Score(inputs);
        Assert.Equal(scores, noisy.Score(inputs));
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        double mean = scores.Average(), sd = Math.Sqrt(scores.Average(s => (s - mean) * (s - mean)));
        Assert.InRange(mean, 0.49, 0.51);
        Assert.InRange(sd, 0.095, 0.105);
        Assert.NotEqual(scores, new NoisyReward(truth, new NoisyRewardOptions { NoiseStd = 0.1, Seed = 4 }).Score(inputs));
    }
}
