using AlignSharp.Data;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Tests.Recipes;

public sealed class OrpoRecipeTests
{
    [Fact]
    public void TrainingSeparatesThePairsAndLowersTheLoss()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("orpo");
        RecipeResult result = OrpoRecipe.Run(data.ModelDir, data.SeparablePairs(8), new OrpoRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps: 10, learningRate: 5e-3) },
            Orpo = new OrpoOptions { Beta = 0.5 },
        });
        var rows = result.Training.LogHistory;
        Assert.True(rows[^1].Values["loss"] < rows[0].Values["loss"]);
        Assert.True(rows[^1].Values[MetricNames.RewardsMargins] > rows[0].Values[MetricNames.RewardsMargins]);
        Assert.True(File.Exists(Path.Combine(output, "config.json")));
    }

    [Fact]
    public void TheSplitStepTrainsTheSameCurveAsTheConcatenatedStep()
    {
        using var data = new RecipeTestData();
        string pairs = data.TaskPairs(8);
        IReadOnlyList<MetricsRow> Train(PairPasses passes)
        {
            string output = data.PathOf(passes.ToName());
            // Micro-batches of 2 pairs accumulated to 4: the pair and chosen-token normalisers are the step's, not the micro-batch's.
            var training = RecipeTestData.Training(output, steps: 3, learningRate: 5e-3, batch: 2) with { GradientAccumulationSteps = 2 };
            return OrpoRecipe.Run(data.ModelDir, pairs, new OrpoRecipeOptions
            {
                Common = new RecipeOptions { Training = training },
                Orpo = new OrpoOptions { Beta = 0.5 },
                PairSteps = new(passes),
            }).Training.LogHistory;
        }

        var concatenated = Train(PairPasses.Concatenated);
        var split = Train(PairPasses.Split);
        using (var folder = ModelFolder.Load(data.ModelDir))
            foreach (PairPasses passes in Enum.GetValues<PairPasses>()) // the option reaches the objective: split back-propagates itself
                Assert.Equal(passes == PairPasses.Split,
                    OrpoRecipe.CreateObjective(folder.CausalLM, new OrpoRecipeOptions { PairSteps = new(passes) }, paddingId: 0).LossAndBackward is not null);
        Assert.Equal(3, concatenated.Count);
        MetricCurves.AssertClose(concatenated, split, new[] { MetricNames.Loss, "grad_norm", OrpoLoss.NllLossMetric, OrpoLoss.LogOddsRatioMetric, MetricNames.LogpsRejected });
        Assert.NotEqual(concatenated[0].Values[MetricNames.Loss], concatenated[^1].Values[MetricNames.Loss]); // the policy moved
    }

    [Fact]
    public void BetaZeroIsExactlySftOnTheChosenCompletions()
    {
        using var data = new RecipeTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        var common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("x"), steps: 1) };
        var pairs = OrpoRecipe.Plan(folder, data.TaskPairs(4), common).Data.Rows.Cast<TokenizedPair>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        long chosenTokens = pairs.Sum(p => (long)LossTokenLogProbs.TargetCount(p.Chosen));
        var step = new MicroBatchContext(1, 0, 1, pairs.Length, 0, chosenTokens);
        using var scope = torch.NewDisposeScope();

        var options = new OrpoRecipeOptions { Common = common, Orpo = new OrpoOptions { Beta = 0 } };
        using var orpo = OrpoRecipe.CreateObjective(folder.CausalLM, options, paddingId).Loss(pairs, step);
        using var batch = BatchCollator.Collate(pairs.Select(p => p.Chosen).ToArray(), paddingId);
        using var logps = LossTokenLogProbs.Compute(folder.CausalLM, batch, common.ChunkPositions);
        using var sft = new SftLoss().Compute(logps.TokenLogProbs, logps.Mask, chosenTokens);
        // Same tokens, but the pair batch pads to the longer of chosen/rejected: equal up to fp32 summation order.
        Assert.Equal(sft.Loss.ToDouble(), orpo.Loss.ToDouble(), 5);
    }
}
