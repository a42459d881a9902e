using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Recipes;
using AlignSharp.Rewards;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

public sealed class RewardModelRecipeTests
{
    [Fact]
    public void ReachesFullAccuracyOnSeparablePairsAndSavesASequenceClassificationFolder()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("rm");
        string pairs = data.SeparablePairs(8);
        RecipeResult result = RewardModelRecipe.Run(data.ModelDir, pairs, new RewardModelRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps: 15, learningRate: 3e-3, batch: 8) },
        });
        Assert.Equal(1.0, result.Training.LogHistory[^1].Values["accuracy"]);

        using (var folder = ModelFolder.Load(output))
        {
            Assert.IsType<SequenceScoreModel>(folder.Model);
            Assert.Equal("LlamaForSequenceClassification", folder.Model.Config.Architecture);
            Assert.Equal(1, (int)folder.Model.Config.Raw["num_labels"]!);
        }

        // ModelReward scores (prompt, completion) as the recipe tokenised it: every chosen beats its rejected.
        using var reward = new ModelReward(output, batchSize: 8); // one batch, as below: same padding, same floats
        var rows = result.Plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        var prompts = File.ReadLines(pairs).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();
        var chosen = reward.Score(prompts.Select(p => new RewardInput(p, " yes.")).ToArray());
        var rejected = reward.Score(prompts.Select(p => new RewardInput(p, " no.")).ToArray());
        Assert.All(chosen.Zip(rejected), s => Assert.True(s.First > s.Second));

        // PretrainedModels loads the same folder and gives the same scores on the recipe's own token ids.
        using var loaded = PretrainedModels.LoadSequenceScoreModel(output);
        using var scope = NewDisposeScope();
        using var batch = BatchCollator.Collate(rows.Select(r => r.Chosen).ToArray(), 256);
        float[] direct;
        using (no_grad()) direct = loaded.Scores(batch.InputIds, batch.AttentionMask).data<float>().ToArray();
        Assert.Equal(chosen.Select(s => (float)s), direct);

        // A reward-model folder trains on as is (no new head): its first step already separates the pairs.
        var more = RewardModelRecipe.Run(output, pairs, new RewardModelRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("rm-more"), steps: 1, batch: 8) },
        });
        Assert.Equal(1.0, more.Training.LogHistory[0].Values["accuracy"]);
    }

    [Fact]
    public void AFreshRewardModelRoundTripsWithIdenticalScores()
    {
        using var data = new RecipeTestData();
        using var folder = ModelFolder.Load(data.ModelDir);
        using var model = RewardModelFactory.FromCausalLM(folder.Model, headSeed: 5);
        string saved = data.PathOf("fresh-rm");
        FinalModelFolder.Save(model, folder.Tokenizer, saved);

        using var loaded = ModelFolder.Load(saved);
        var reloaded = Assert.IsType<SequenceScoreModel>(loaded.Model);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 257, 72, 105, 258, 256, 257, 65, 66, 67, 258 }, [2, 5]);
        var mask = tensor(new long[] { 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 }, [2, 5]);
        using var noGrad = no_grad();
        Assert.Equal(model.Scores(ids, mask).data<float>().ToArray(), reloaded.Scores(ids, mask).data<float>().ToArray());
        // The body is the language model's.
        var lmEmbedding = folder.Model.Body.TokenEmbedding.Weight;
        Assert.True(lmEmbedding.eq(reloaded.Body.TokenEmbedding.Weight).all().item<bool>());
    }
}
