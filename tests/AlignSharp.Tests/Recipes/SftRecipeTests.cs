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
    public void Bf16FollowsTheFp32CurveAndSavesFp32MasterWeights()
    {
        using var data = new RecipeTestData();
        double[] Losses(bool bf16, string name)
        {
            RecipeResult run = SftRecipe.Run(data.ModelDir, data.SftData(8), new SftRecipeOptions
            {
                Common = new RecipeOptions { Training = RecipeTestData.Training(data.PathOf(name), steps: 8, learningRate: 5e-3), Bf16 = bf16 },
            });
            return run.Training.LogHistory.Select(r => r.Values["loss"]).ToArray();
        }
        double[] fp32 = Losses(false, "fp32");
        double[] bf16 = Losses(true, "bf16");
        Assert.NotEqual(fp32, bf16); // bf16 really ran (bf16 matmuls round differently)...
        // ...its first loss (same weights, only the forward's rounding differs) agrees closely...
        Assert.True(Math.Abs(fp32[0] - bf16[0]) <= 2e-3 * fp32[0], $"step 1: fp32 {fp32[0]} vs bf16 {bf16[0]}");
        // ...and it stays on the fp32 curve. Later steps differ more: at lr 5e-3 AdamW turns bf16 rounding in small
        // gradients into full-size updates, and how much depends on the CPU's bf16 kernels (step 8 was within 0.02
        // on the machine this test was written on, 0.040 = 1.3% apart on one whose MKL uses AMX bf16 kernels). 3% still fails a bf16 run that
        // drifts off the curve (a wrong cast or scale moves the loss by far more within 8 steps).
        for (int i = 0; i < fp32.Length; i++)
            Assert.True(Math.Abs(fp32[i] - bf16[i]) <= 0.03 * fp32[i],
                $"step {i + 1}: fp32 {fp32[i]} vs bf16 {bf16[i]}; fp32 [{string.Join(", ", fp32)}], bf16 [{string.Join(", ", bf16)}]");
        Assert.True(bf16[^1] < 0.7 * bf16[0]);

        using var saved = ModelFolder.Load(data.PathOf("bf16"));
        Assert.All(saved.Model.parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
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
