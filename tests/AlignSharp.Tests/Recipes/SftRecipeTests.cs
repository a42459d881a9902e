using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Recipes;

namespace AlignSharp.Tests.Recipes;

public sealed class SftRecipeTests
{
    [Fact]
    public void LossDecreasesAndTheResultIsAModelFolderThatStops()
    {
        using var data = new RecipeTestData();
        string output = data.PathOf("sft");
        var lines = new List<string>();
        RecipeResult result = SftRecipe.Run(data.ModelDir, data.SftData(8), new SftRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(output, steps: 12, learningRate: 5e-3) },
        }, new RecipeCallbacks { Log = lines.Add });

        var losses = result.Training.LogHistory.Select(r => r.Values["loss"]).ToArray();
        Assert.Equal(12, losses.Length);
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss {losses[0]} → {losses[^1]}");

        // Validation, truncation and the effective batch are reported before training.
        Assert.Contains(lines, l => l.StartsWith("effective batch: 4 rows = 4 sequences", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("truncation:", StringComparison.Ordinal));

        // A Hugging Face folder whose EOS is trained on and agrees with generation_config.json.
        using var folder = ModelFolder.Load(output);
        Assert.Equal("LlamaForCausalLM", folder.Model.Config.Architecture);
        int eos = folder.Tokenizer.Tokenizer.EosTokenId!.Value;
        Assert.Contains($"\"eos_token_id\": {eos}", File.ReadAllText(Path.Combine(output, PretrainedModels.GenerationConfigFileName)));
        TokenizedSequence first = result.Plan.Data.Rows[0].Sequences[0];
        Assert.Equal(eos, first.InputIds[^1]);
        Assert.True(first.LossMask[^1]);
        Assert.False(first.LossMask[0]);
    }

    [Fact]
    public void PreferenceDataIsRejectedBeforeTraining()
    {
        using var data = new RecipeTestData();
        var error = Assert.Throws<InvalidDataException>(() => SftRecipe.Run(data.ModelDir, data.TaskPairs(), new SftRecipeOptions
        {
            Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf("sft"), steps: 1) },
        }));
        Assert.Contains("prompt/completion", error.Message);
        Assert.False(File.Exists(Path.Combine(data.PathOf("sft"), "metrics.jsonl")));
    }
}
