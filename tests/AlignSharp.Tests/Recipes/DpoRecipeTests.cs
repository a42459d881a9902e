using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Training;

namespace AlignSharp.Tests.Recipes;

public sealed class DpoRecipeTests
{
    static DpoRecipeOptions Options(string output, int steps, int saveSteps = 0) => new()
    {
        Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps, learningRate: 1e-3) with { SaveSteps = saveSteps } },
    };

    [Fact]
    public void FirstStepHasLossLog2AndZeroMarginsWhenThePolicyIsTheReference()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("dpo");
        RecipeResult result = DpoRecipe.Run(data.ModelDir, data.TaskPairs(8), Options(output, steps: 3));

        MetricsRow first = File.ReadLines(Path.Combine(output, MetricsJsonlLog.FileName)).Select(MetricsJsonlLog.Parse).First();
        Assert.Equal(1, first.Step);
        Assert.Equal(Math.Log(2), first.Values["loss"], 4);
        Assert.Equal(0, first.Values["rewards/margins"], 4);
        Assert.Equal(0, first.Values["rewards/chosen"], 4);
        Assert.True(result.Training.LogHistory[^1].Values["rewards/margins"] > 0, "the margin grows once the policy moves");
        Assert.True(File.Exists(Path.Combine(output, ReferenceLogProbCache.FileName)));
    }

    [Fact]
    public void TheReferenceCacheIsReusedOnResumeAndTheCurveContinues()
    {
        using var data = new RecipeTestData();
        string pairs = data.TaskPairs(8);
        string uninterrupted = data.PathOf("full");
        var full = DpoRecipe.Run(data.ModelDir, pairs, Options(uninterrupted, steps: 4));

        string output = data.PathOf("resumed");
        DpoRecipe.Run(data.ModelDir, pairs, Options(output, steps: 4, saveSteps: 2));
        string cache = Path.Combine(output, ReferenceLogProbCache.FileName);
        string cached = File.ReadAllText(cache);
        DateTime written = File.GetLastWriteTimeUtc(cache);

        var lines = new List<string>();
        var resumed = DpoRecipe.Run(data.ModelDir, pairs, Options(output, steps: 4, saveSteps: 2),
            new RecipeCallbacks { Log = lines.Add }, resumeFrom: Path.Combine(output, "checkpoint-2"));
        Assert.Contains(lines, l => l.StartsWith("reference log-probs: read from", StringComparison.Ordinal));
        Assert.Equal(cached, File.ReadAllText(cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache));
        Assert.Equal(full.Training.LogHistory[^1].Values["loss"], resumed.Training.LogHistory[^1].Values["loss"], 5);

        // Other data → other fingerprint → recomputed, not reused.
        lines.Clear();
        DpoRecipe.Run(data.ModelDir, data.SeparablePairs(8), Options(output, steps: 1), new RecipeCallbacks { Log = lines.Add });
        Assert.Contains(lines, l => l.StartsWith("reference log-probs: computed", StringComparison.Ordinal));
    }

    [Fact]
    public void HeldOutPairsAreEvaluatedEveryEvalStepsWithTheirOwnReferenceLogProbs()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("dpo");
        var options = Options(output, steps: 4) with
        {
            Common = Options(output, steps: 4).Common with
            {
                EvalDataPath = data.SeparablePairs(4),
                Training = Options(output, steps: 4).Common.Training with { EvalSteps = 2 },
            },
        };
        var lines = new List<string>();
        RecipeResult result = DpoRecipe.Run(data.ModelDir, data.TaskPairs(8), options, new RecipeCallbacks { Log = lines.Add });

        var evalRows = result.Training.LogHistory.Where(r => r.Values.ContainsKey("eval_loss")).ToArray();
        Assert.Equal([2, 4], evalRows.Select(r => r.Step));
        Assert.All(evalRows, r => Assert.Contains("eval_rewards/accuracies", r.Values.Keys));
        Assert.Contains(lines, l => l.StartsWith("eval data:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("computed for 12 pairs", StringComparison.Ordinal));

        var missing = Assert.Throws<ArgumentException>(() => DpoRecipe.Run(data.ModelDir, data.TaskPairs(8),
            Options(data.PathOf("no-eval"), steps: 2) with { Common = Options(data.PathOf("no-eval"), steps: 2).Common with { Training = RecipeTestData.Training(data.PathOf("no-eval"), 2) with { EvalSteps = 1 } } }));
        Assert.Contains("--eval-data", missing.Message);
    }

    [Fact]
    public void TheSplitStepTrainsTheSameCurveAsTheConcatenatedStep()
    {
        using var data = new RecipeTestData();
        string pairs = data.TaskPairs(8);
        RecipeResult Train(PairPasses passes)
        {
            string output = data.PathOf(passes.ToName());
            var options = Options(output, steps: 3);
            return DpoRecipe.Run(data.ModelDir, pairs, options with
            {
                // Micro-batches of 2 pairs accumulated to 4, so the pair normaliser is not the micro-batch's size.
                Common = options.Common with { Training = options.Common.Training with { PerDeviceTrainBatchSize = 2, GradientAccumulationSteps = 2 } },
                Dpo = new DpoOptions { Beta = 0.2, LabelSmoothing = 0.1 },
                PairSteps = new(passes),
            });
        }

        var concatenated = Train(PairPasses.Concatenated).Training.LogHistory;
        var split = Train(PairPasses.Split).Training.LogHistory;
        Assert.Equal(3, concatenated.Count);
        MetricCurves.AssertClose(concatenated, split, new[] { "loss", "grad_norm", "rewards/margins", "logps/rejected" });
        Assert.NotEqual(concatenated[0].Values["loss"], concatenated[^1].Values["loss"]); // the policy moved: later steps test the updates too
    }
}
