using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Tests.Modeling;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

public sealed class SftPackingTests
{
    /// <summary>Documents with varied prompts; the last one trains on its first token too, which packing must not predict across documents.</summary>
    static TokenizedSequence[] Documents()
    {
        var random = new Random(5);
        int[][] shapes = [[3, 4], [2, 6], [5, 2], [1, 3], [4, 5], [0, 4]]; // [prompt, completion]
        return shapes.Select(s =>
        {
            int length = s[0] + s[1];
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(3, ModelTestData.Vocab)).ToArray();
            return new TokenizedSequence(ids, Enumerable.Range(0, length).Select(t => t >= s[0]).ToArray(), s[0]);
        }).ToArray();
    }

    static (double Loss, float[][] Grads) LossAndGradients(CausalLM model, Func<LossTokenLogProbs> logProbs, double normaliser)
    {
        model.zero_grad();
        using var scope = NewDisposeScope();
        using LossTokenLogProbs computed = logProbs();
        using ObjectiveOutput output = new SftLoss().Compute(computed.TokenLogProbs, computed.Mask, normaliser);
        output.Loss.backward();
        var grads = model.parameters().Select(p => p.grad!.data<float>().ToArray()).ToArray();
        return (output.Loss.item<float>(), grads);
    }

    [Theory, InlineData("llama"), InlineData("gpt2")]
    public void PackedLossAndGradientEqualTheUnpackedOnes(string arch)
    {
        using CausalLM model = ModelTestData.TinyModel(arch);
        var documents = Documents();
        PackingResult packing = SequencePacker.Pack(documents, maxLength: 12);
        Assert.True(packing.Rows.Count < documents.Length, "several documents share a row");

        // Independent value: the existing unpacked path (one padded row per document).
        int targets = documents.Sum(LossTokenLogProbs.TargetCount);
        Assert.Equal(targets, packing.Rows.Sum(r => r.TargetCount));
        var unpacked = LossAndGradients(model, () =>
        {
            using SequenceBatch batch = BatchCollator.Collate(documents, paddingId: 0);
            return LossTokenLogProbs.Compute(model, batch, chunkPositions: 5);
        }, targets);
        var packed = LossAndGradients(model, () =>
        {
            using PackedBatch batch = PackedBatch.Collate(packing.Rows, paddingId: 0);
            return LossTokenLogProbs.Compute(model, batch.Sequences, chunkPositions: 5, batch.DocumentIds);
        }, targets);

        Assert.Equal(unpacked.Loss, packed.Loss, 1e-5);
        for (int p = 0; p < unpacked.Grads.Length; p++)
            ModelTestData.AssertClose(unpacked.Grads[p], packed.Grads[p], 1e-5 * Math.Max(1, unpacked.Grads[p].Max(Math.Abs)), $"{arch} gradient {p}");
    }

    [Fact]
    public void RecipeWithPackingTrainsAndReportsEfficiency()
    {
        using var data = new RecipeTestData();
        var lines = new List<string>();
        var live = new List<long>();
        RecipeResult result = SftRecipe.Run(data.ModelDir, data.SftData(8), new SftRecipeOptions
        {
            Common = new RecipeOptions { MaxLength = 160, Training = RecipeTestData.Training(data.PathOf("packed"), steps: 10, learningRate: 5e-3, batch: 2) },
            Packing = true,
        }, new RecipeCallbacks
        {
            Log = lines.Add,
            Training = new TrainingCallbacks { OnStep = _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount) },
        });
        // No tensor leaks per step (packed batches, document ids and masks are all disposed).
        Assert.All(live.Skip(1), count => Assert.True(count == live[1], $"live tensors after each step {string.Join(", ", live)}"));

        var losses = result.Training.LogHistory.Select(r => r.Values["loss"]).ToArray();
        Assert.Equal(10, losses.Length);
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss {losses[0]} → {losses[^1]}");
        Assert.Contains(lines, l => l.StartsWith("packing: 8 documents into ", StringComparison.Ordinal) && l.Contains("efficiency", StringComparison.Ordinal));
    }

    [Fact]
    public void PackingNeedsMaxLengthAndTokenMean()
    {
        using var data = new RecipeTestData();
        string path = data.SftData(4);
        var training = RecipeTestData.Training(data.PathOf("bad"), steps: 1);
        var noLength = Assert.Throws<ArgumentException>(() => SftRecipe.Run(data.ModelDir, path,
            new SftRecipeOptions { Common = new RecipeOptions { Training = training }, Packing = true }));
        Assert.Contains("max_length", noLength.Message, StringComparison.Ordinal);
        var sequenceSum = Assert.Throws<ArgumentException>(() => SftRecipe.Run(data.ModelDir, path,
            new SftRecipeOptions { Common = new RecipeOptions { MaxLength = 160, Training = training }, Packing = true, Normalisation = SftNormalisation.SequenceSum }));
        Assert.Contains("token_mean", sequenceSum.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CliReadsThePackingKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"alignsharp-packing-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "packing: true\nmax_length: 64\n");
        try
        {
            var options = AlignSharp.Cli.Recipes.RecipeSettings.From(path, AlignSharp.Cli.Recipes.RecipeKeys.Sft, "sft", []).Sft("out");
            Assert.True(options.Packing);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
