using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Tests.Rollouts;

public sealed class RolloutResumeTests
{
    /// <summary>
    /// Interrupted at step 3 of 6 and resumed, an online run draws the same rollouts and continues the same curve.
    /// With num_iterations 2, step 3 falls half-way through generation 1, so the checkpoint must carry that generation.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ResumedRunContinuesTheUninterruptedCurve(int iterations)
    {
        using var data = new RolloutTestData();
        GrpoRecipeOptions Options(string output, int steps) => new()
        {
            Online = RolloutTestData.Online(output, steps, iterations: iterations, saveSteps: 3, learningRate: 5e-3),
            Grpo = new() { Beta = 0.04 },
        };
        var whole = GrpoRecipe.Run(data.ModelDir, data.PromptsPath, Options(data.PathOf("whole"), 6), [RolloutTestData.DigitShare]);
        // Interrupted right after the checkpoint of step 3 (as a kill would), with the schedule of the 6-step run.
        var interrupt = new RecipeCallbacks
        {
            Training = new TrainingCallbacks { OnCheckpoint = path => { if (path.EndsWith("checkpoint-3", StringComparison.Ordinal)) throw new OperationCanceledException(); } },
        };
        Assert.Throws<OperationCanceledException>(() =>
            GrpoRecipe.Run(data.ModelDir, data.PromptsPath, Options(data.PathOf("parted"), 6), [RolloutTestData.DigitShare], interrupt));
        string checkpoint = Path.Combine(data.PathOf("parted"), "checkpoint-3");
        Assert.True(File.Exists(Path.Combine(checkpoint, RolloutSource.StateFileName)));
        var resumed = GrpoRecipe.Run(data.ModelDir, data.PromptsPath, Options(data.PathOf("parted"), 6), [RolloutTestData.DigitShare], resumeFrom: checkpoint);

        var expected = whole.Training.LogHistory.ToDictionary(r => r.Step);
        var rows = resumed.Training.LogHistory.Where(r => r.Step > 3).ToArray();
        Assert.Equal([4, 5, 6], rows.Select(r => r.Step));
        foreach (MetricsRow row in rows)
            foreach (string name in new[] { "loss", "grad_norm", "kl", "entropy" }.Concat(row.Values.Keys.Where(k => k.StartsWith("reward", StringComparison.Ordinal))))
                Assert.True(Math.Abs(row.Values[name] - expected[row.Step].Values[name]) <= 1e-6 * Math.Max(1, Math.Abs(expected[row.Step].Values[name])),
                    $"step {row.Step} {name}: resumed {row.Values[name]} vs uninterrupted {expected[row.Step].Values[name]}");
        // The curve really moved (a resume that restored nothing would still match a flat curve).
        Assert.NotEqual(whole.Training.LogHistory[0].Values["loss"], whole.Training.LogHistory[5].Values["loss"]);
    }
}
