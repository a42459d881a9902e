using AlignSharp.Recipes;

namespace AlignSharp.Tests.Recipes;

public sealed class ALoLPrioritySamplerTests
{
    [Fact]
    public void FrequenciesFollowThePositiveAdvantagesAndNonPositiveRowsAreNeverDrawn()
    {
        double[] advantages = [0.5, -1.0, 0.0, 1.5, 2.0, -0.1, 1.0];
        const int draws = 200_000;
        int[] drawn = ALoLPrioritySampler.Draw(advantages, draws, seed: 9);
        var counts = new int[advantages.Length];
        foreach (int i in drawn) counts[i]++;
        double total = advantages.Sum(a => Math.Max(a, 0));
        for (int i = 0; i < advantages.Length; i++)
        {
            double p = Math.Max(advantages[i], 0) / total;
            double sd = Math.Sqrt(p * (1 - p) / draws);
            Assert.True(Math.Abs(counts[i] / (double)draws - p) <= 5 * sd + 1e-12, $"row {i}: frequency {counts[i] / (double)draws} vs {p}");
            if (p == 0) Assert.Equal(0, counts[i]);
        }
        Assert.Equal(4.0 / 7.0, ALoLPrioritySampler.PositiveFraction(advantages), 12);
    }

    [Fact]
    public void SeededDrawsRepeat()
    {
        double[] advantages = [0.3, 0.0, 0.7, 0.2];
        Assert.Equal(ALoLPrioritySampler.Draw(advantages, 50, seed: 4), ALoLPrioritySampler.Draw(advantages, 50, seed: 4));
        Assert.NotEqual(ALoLPrioritySampler.Draw(advantages, 50, seed: 4), ALoLPrioritySampler.Draw(advantages, 50, seed: 5));
    }

    [Fact]
    public void NoPositiveAdvantageIsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ALoLPrioritySampler.Draw([-0.2, 0.0], 3, seed: 1));
        Assert.Contains("positive advantage", error.Message);
    }
}
