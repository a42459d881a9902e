using AlignSharp.Cli.Recipes;
using AlignSharp.Cli.Commands;
using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

public sealed class IftRecipeTests
{
    [Fact]
    public void TheEmbeddingsPathGivesTheIdsPathsHiddenStatesBitForBit()
    {
        using var data = new RecipeTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(new long[,] { { 5, 9, 11, 3, 7 }, { 4, 8, 2, 0, 0 } });
        var mask = torch.tensor(new long[,] { { 1, 1, 1, 1, 1 }, { 1, 1, 1, 0, 0 } });
        CausalLM model = folder.CausalLM;
        var fromIds = model.Hidden(ids, mask);
        var fromEmbeddings = model.HiddenFromEmbeddings(model.Body.TokenEmbedding.Forward(ids), mask);
        Assert.True(fromIds.equal(fromEmbeddings).all().item<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LambdaZeroGammaZeroIsExactlySftsLoss(bool freeze)
    {
        using var data = new RecipeTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        CausalLM model = folder.CausalLM;
        var common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("x"), steps: 1) };
        var examples = SftRecipe.Plan(folder, data.SftData(6), common).Data.Rows.Cast<TokenizedExample>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        long lossTokens = examples.Sum(e => (long)LossTokenLogProbs.TargetCount(e.Sequence));
        var step = new MicroBatchContext(1, 0, 1, examples.Length, examples.Sum(e => (long)e.Sequence.Length), lossTokens);
        using var scope = torch.NewDisposeScope();

        using var batch = BatchCollator.Collate(examples.Select(e => e.Sequence).ToArray(), paddingId);
        double sft;
        using (var logps = LossTokenLogProbs.Compute(model, batch, common.ChunkPositions))
        using (var output = new SftLoss().Compute(logps.TokenLogProbs, logps.Mask, lossTokens))
            sft = output.Loss.ToDouble();

        var options = new IftRecipeOptions
        {
            Common = common,
            Ift = new IftOptions { Gamma = 0, Normalisation = IftNormalisation.TokenMean },
            Lambda = new IftLambdaSchedule { Min = 0, Max = 0 },
            FreezeInputEmbeddings = freeze,
        };
        using Tensor? frozen = freeze ? model.Body.TokenEmbedding.Weight.detach().clone() : null;
        using var ift = IftRecipe.CreateObjective(model, options, frozen, paddingId).Loss(examples, step);
        Assert.Equal(sft, ift.Loss.ToDouble());
        Assert.Equal(0, ift.Metrics[IftRecipe.LambdaMetric]);
    }

    [Fact]
    public void TrainingLowersTheLossAndLogsTheLambdaRamp()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("ift");
        RecipeResult result = IftRecipe.Run(data.ModelDir, data.SftData(8), new IftRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps: 10, learningRate: 5e-3) },
            Lambda = new IftLambdaSchedule { Min = 0, Max = 0.2, WarmupSteps = 4 },
        });
        var rows = result.Training.LogHistory;
        var losses = rows.Select(r => r.Values["loss"]).ToArray();
        Assert.True(losses[^1] < 0.8 * losses[0], $"loss {losses[0]} → {losses[^1]}");
        Assert.Equal(0, rows[0].Values[IftRecipe.LambdaMetric], 12);
        Assert.Equal(0.2, rows[^1].Values[IftRecipe.LambdaMetric], 12);
        Assert.True(File.Exists(Path.Combine(output, "config.json")));
    }

    [Fact]
    public void FreezingTheInputsOfATiedModelIsRefusedBeforeTraining()
    {
        using var data = new RecipeTestData();
        var error = Assert.Throws<ArgumentException>(() => IftRecipe.Run(data.ModelDir, data.SftData(4), new IftRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("ift"), steps: 1) },
            FreezeInputEmbeddings = true,
        }));
        Assert.Contains("tie_word_embeddings", error.Message);
    }

    [Fact]
    public void TheCommittedRecipeParsesToTheOfficialCodesDefaults()
    {
        string recipes = Path.Combine(RepositoryRoot(), "recipes");
        var options = IftCommand.Options(RecipeSettings.From(Path.Combine(recipes, "ift.yaml"), IftCommand.Keys, "ift", []), "out");
        options.Common.Training.Validate();
        Assert.Equal(new IftOptions(), options.Ift);
        Assert.Equal(new IftLambdaSchedule(), options.Lambda);
        Assert.False(options.FreezeInputEmbeddings);
        var orpo = OrpoCommand.Options(RecipeSettings.From(Path.Combine(recipes, "orpo.yaml"), OrpoCommand.Keys, "orpo", []), "out");
        Assert.Equal(0.1, orpo.Orpo.Beta);
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlignSharp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("AlignSharp.sln not found above the test binaries");
    }
}
