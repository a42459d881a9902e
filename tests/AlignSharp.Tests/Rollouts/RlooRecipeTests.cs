using AlignSharp.Recipes;
using AlignSharp.Training;

namespace AlignSharp.Tests.Rollouts;

public sealed class RlooRecipeTests
{
    [Fact]
    public void RunsWithTheKlInTheRewardAndRatioOne()
    {
        using var data = new RolloutTestData();
        var lines = new List<string>();
        var result = RlooRecipe.Run(data.ModelDir, data.PromptsPath, new RlooRecipeOptions
        {
            Online = RolloutTestData.Online(data.PathOf("rloo"), steps: 3, generations: 2, learningRate: 5e-3),
        }, [RolloutTestData.DigitShare], new RecipeCallbacks { Log = lines.Add });
        Assert.Contains(lines, l => l.StartsWith("rollout plan: 4 prompts × 2 generations", StringComparison.Ordinal));
        Assert.Equal(3, result.Training.LogHistory.Count);
        foreach (MetricsRow row in result.Training.LogHistory)
        {
            Assert.True(row.Values.ContainsKey("kl"));
            Assert.Equal(0, row.Values["clip_ratio/region_mean"]);
            Assert.True(double.IsFinite(row.Values["loss"]));
        }
        // The KL to the reference grows from 0 once the policy has moved.
        Assert.True(Math.Abs(result.Training.LogHistory[0].Values["kl"]) < 1e-5);
        Assert.NotEqual(0, result.Training.LogHistory[2].Values["kl"]);
    }
}
