using System.Text.Json;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Recipes;

public sealed class ALoLRecipeTests
{
    // Half the rows answer " yes." (reward 1), half " no." (reward 0); the value head's samples are scored the same way.
    private static string MixedScoredData(RecipeTestData data, int count = 8)
    {
        string path = data.PathOf("scored.jsonl");
        var prompts = new SentimentTask().Prompts(count, Split.Train, seed: 2);
        TaskDataFiles.WriteScored(path, prompts.Select((p, i) => i % 2 == 0 ? new ScoredExample(p, " yes.", 1.0) : new ScoredExample(p, " no.", 0.0)));
        return path;
    }

    private static readonly IRewardFunction YesReward = new DelegateReward("yes", input => input.Completion.Contains("yes", StringComparison.Ordinal) ? 1.0 : 0.0);

    [Theory]
    [InlineData("a_lol")]
    [InlineData("a_lol_seq")]
    [InlineData("a_lol_kl")]
    [InlineData("a_lol_ref_free")]
    [InlineData("r_lol")]
    [InlineData("r_gold")]
    [InlineData("wbc")]
    [InlineData("nll")]
    public void EveryVariantTrainsFromTheCachedPassAndSavesAModel(string name)
    {
        using var data = new RecipeTestData();
        string output = data.PathOf(name);
        var lines = new List<string>();
        var variant = ALoLVariants.Parse(name);
        RecipeResult result = ALoLRecipe.Run(data.ModelDir, MixedScoredData(data), new ALoLRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps: 3, learningRate: 5e-3) },
            Loss = new ALoLOptions { Variant = variant, ClipEpsilon = 0.5 },
            ValueFit = new ALoLValueFitOptions { Epochs = 5 },
            ValueMaxNewTokens = 4,
        }, YesReward, new RecipeCallbacks { Log = lines.Add });

        var history = result.Training.LogHistory;
        Assert.Equal(3, history.Count);
        Assert.All(history, row => Assert.True(double.IsFinite(row.Values["loss"])));
        Assert.True(File.Exists(Path.Combine(output, "config.json")));
        if (variant.UsesReference())
        {
            // Step 1: the policy is still the reference, so the cached log-probs must line up exactly with its own.
            Assert.Equal(0.0, history[0].Values[ALoLMetricNames.Kl], 4);
            if (variant != ALoLVariant.ALoLKl) Assert.Equal(0.0, history[0].Values[ALoLMetricNames.ClipFraction]);
        }

        var advantages = File.ReadAllLines(Path.Combine(output, ALoLRecipe.AdvantagesFile)).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(8, advantages.Length);
        if (variant.UsesAdvantage())
        {
            Assert.Contains(lines, l => l.StartsWith("value head: fitted on 8 greedy reference samples", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("advantages: 4 of 8 rows positive", StringComparison.Ordinal));
            foreach (var row in advantages)
            {
                double reward = row.GetProperty("reward").GetDouble(), value = row.GetProperty("value").GetDouble();
                Assert.InRange(value, 0, 1);
                Assert.Equal(reward - value, row.GetProperty("advantage").GetDouble(), 12);
            }
        }
    }

    [Theory]
    [InlineData("a_lol")]
    [InlineData("a_lol_seq")]
    [InlineData("r_gold")]
    public void StepsLeaveNoTensorsBehind(string name)
    {
        using var data = new RecipeTestData();
        var live = new List<long>();
        ALoLRecipe.Run(data.ModelDir, MixedScoredData(data), new ALoLRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf(name), steps: 5) },
            Loss = new ALoLOptions { Variant = ALoLVariants.Parse(name) },
            ValueFit = new ALoLValueFitOptions { Epochs = 2 },
            ValueMaxNewTokens = 4,
        }, YesReward, new RecipeCallbacks
        {
            Training = new AlignSharp.Training.TrainingCallbacks { OnStep = _ => live.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount) },
        });
        Assert.Equal(5, live.Count);
        Assert.All(live.Skip(1), count => Assert.True(count == live[1], $"{name}: live tensors after each step {string.Join(", ", live)}"));
    }

    [Fact]
    public void AdvantageVariantsWithoutARewardAreRejected()
    {
        using var data = new RecipeTestData();
        var error = Assert.Throws<ArgumentException>(() => ALoLRecipe.Run(data.ModelDir, MixedScoredData(data), new ALoLRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("x"), steps: 1) },
        }, reward: null));
        Assert.Contains("reward function", error.Message);
    }
}
