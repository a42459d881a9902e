using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// Supervised fine-tuning, written out: source = a fixed dataset of prompt/completion (or messages) rows,
/// scorer = none, objective = <see cref="SftLoss"/> on the trained tokens (the completion and its EOS, so the
/// model learns to stop; DESIGN.md pitfall 5). Reads a model folder, writes a model folder.
/// </summary>
public static class SftRecipe
{
    public const string Method = "sft";

    /// <summary>Loads the tokenizer's view of the data and validates every row (also what --dry-run shows).</summary>
    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PrepareExamples(model, dataPath, options, Method);

    /// <summary>
    /// Trains the causal LM in <paramref name="modelDir"/> on <paramref name="dataPath"/> and saves the result as a
    /// Hugging Face folder in <c>options.Common.Training.OutputDir</c>.
    /// </summary>
    public static RecipeResult Run(string modelDir, string dataPath, SftRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        using ModelFolder folder = ModelFolder.Load(modelDir);
        CausalLM model = folder.CausalLM;
        model.Precision = common.Precision;

        // 1. Data: every row validated before step 1; the effective batch printed.
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var examples = plan.Data.Rows.Cast<TokenizedExample>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);

        // 2. Objective: token-mean NLL over the whole optimizer step (or per-sequence sums over its sequences).
        var sft = new SftLoss(new SftOptions { Normalisation = options.Normalisation });
        var evalExamples = plan.EvalData?.Rows.Cast<TokenizedExample>().ToArray();
        TrainingResult result;
        if (options.Packing)
        {
            // Packed rows are the training examples; the step's loss tokens are the same as unpacked, so the loss is too.
            if (options.Normalisation != SftNormalisation.TokenMean)
                throw new ArgumentException("packing needs loss_normalization token_mean: a packed row holds several sequences, so a per-sequence sum would be normalised by rows");
            int maxLength = common.MaxLength ?? throw new ArgumentException("packing needs max_length (the length of a packed row)");
            PackingResult packed = Pack(examples, maxLength);
            callbacks.Write(packed.ToString());
            var objective = new TrainingObjective<PackedRow>(
                Loss: (batch, step) =>
                {
                    using PackedBatch rows = PackedBatch.Collate(batch, paddingId);
                    using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(model, rows.Sequences, common.ChunkPositions, rows.DocumentIds);
                    return sft.Compute(logProbs.TokenLogProbs, logProbs.Mask, step.StepLossTokens);
                },
                Tokens: r => r.Length,
                LossTokens: r => r.TargetCount);
            var evalRows = evalExamples is null ? null : Pack(evalExamples, maxLength).Rows;
            var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalRows, common.Training.PerDeviceTrainBatchSize);
            result = TrainingLoop.Run(model, packed.Rows, objective, common.Training, loopCallbacks, resumeFrom);
        }
        else
        {
            var objective = new TrainingObjective<TokenizedExample>(
                Loss: (batch, step) =>
                {
                    using SequenceBatch sequences = BatchCollator.Collate(batch.Select(e => e.Sequence).ToArray(), paddingId);
                    using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(model, sequences, common.ChunkPositions);
                    double normaliser = options.Normalisation == SftNormalisation.TokenMean ? step.StepLossTokens : step.StepExamples;
                    return sft.Compute(logProbs.TokenLogProbs, logProbs.Mask, normaliser);
                },
                Tokens: e => e.Sequence.Length,
                LossTokens: e => LossTokenLogProbs.TargetCount(e.Sequence));
            var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalExamples, common.Training.PerDeviceTrainBatchSize);
            result = TrainingLoop.Run(model, examples, objective, common.Training, loopCallbacks, resumeFrom);
        }

        // 3. Train (above), 4. save a Hugging Face folder.
        FinalModelFolder.Save(model, folder.Tokenizer, common.Training.OutputDir);
        callbacks.Write($"saved the SFT model to {common.Training.OutputDir}");
        return new RecipeResult(common.Training.OutputDir, plan, result);
    }

    static PackingResult Pack(IReadOnlyList<TokenizedExample> examples, int maxLength) =>
        SequencePacker.Pack(examples.Select(e => e.Sequence).ToArray(), maxLength, examples.Select(e => e.Source).ToArray());
}
