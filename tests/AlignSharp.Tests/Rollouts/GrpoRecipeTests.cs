using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Training;

namespace AlignSharp.Tests.Rollouts;

public sealed class GrpoRecipeTests
{
    [Fact]
    public void OnPolicyStepsLogTrlMetricsWithRatioOneAndSamplerAgreement()
    {
        using var data = new RolloutTestData();
        var lines = new List<string>();
        var options = new GrpoRecipeOptions { Online = RolloutTestData.Online(data.PathOf("grpo"), steps: 3) };
        OnlineRecipeResult result = GrpoRecipe.Run(data.ModelDir, data.PromptsPath, options, [RolloutTestData.DigitShare],
            new RecipeCallbacks { Log = lines.Add });

        Assert.Contains(lines, l => l.StartsWith("rollout plan: 2 prompts × 4 generations = 8 completions per generation", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("no reference model (beta = 0)", StringComparison.Ordinal));
        Assert.Equal(3, result.Training.LogHistory.Count);
        foreach (MetricsRow row in result.Training.LogHistory)
        {
            foreach (string name in new[] { "loss", "reward", "reward_std", "frac_reward_zero_std", "rewards/digit_share/mean", "rewards/digit_share/std",
                "entropy", "completions/mean_length", "completions/min_length", "completions/max_length", "completions/clipped_ratio",
                "timing/generation", "timing/rewards", "timing/update", "step_time", "tokens_per_second/generation" })
                Assert.True(row.Values.ContainsKey(name), $"step {row.Step} lacks {name}");
            Assert.False(row.Values.ContainsKey("kl")); // beta = 0: no KL in the loss, none logged
            // One update per generation: the ratio is exactly 1, nothing is clipped.
            Assert.Equal(0, row.Values["clip_ratio/region_mean"]);
            // One process, one set of weights: the trainer's log-probs are the sampler's (fp32).
            Assert.True(row.Values["sampling/sampling_logp_difference/max"] < 1e-4, $"step {row.Step}: {row.Values["sampling/sampling_logp_difference/max"]}");
            Assert.InRange(row.Values["completions/max_length"], 1, 8);
        }
        Assert.True(File.Exists(Path.Combine(result.OutputDir, CompletionsLog.FileName)));
        Assert.True(File.Exists(Path.Combine(result.OutputDir, "model.safetensors")));
    }
}
