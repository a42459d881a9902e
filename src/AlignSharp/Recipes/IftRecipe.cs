using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Intuitive Fine-Tuning, written out: source = SFT rows (prompt/completion or messages), scorer = none (no reference,
/// no reward model, no pairs), objective = <see cref="IftLoss"/> on the log-probs of the gold tokens under inputs that
/// mix gold and one-step-predicted embeddings (<see cref="IftTokenLogProbs"/>). Two forwards and one backward per step.
/// </summary>
public static class IftRecipe
{
    public const string Method = "ift";
    public const string LambdaMetric = "ift/lambda";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PrepareExamples(model, dataPath, options, Method);

    public static RecipeResult Run(string modelDir, string dataPath, IftRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Lambda.Validate();
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        using ModelFolder folder = ModelFolder.Load(modelDir);
        CausalLM model = folder.CausalLM;
        if (options.FreezeInputEmbeddings && model.Config.TieWordEmbeddings)
            throw new ArgumentException(
                $"{modelDir}: freeze_input_embeddings needs untied input and output embeddings; this model ties them (tie_word_embeddings), so the head would train the table the saved model reads its inputs from while training read a frozen copy");

        // 1. Data: every row validated before step 1.
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var examples = plan.Data.Rows.Cast<TokenizedExample>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);

        // 2. Objective. The frozen input table is taken before any update (and, on resume, from the resumed model).
        using Tensor? frozenTable = options.FreezeInputEmbeddings ? model.Body.TokenEmbedding.Weight.detach().clone() : null;
        var objective = CreateObjective(model, options, frozenTable, paddingId);

        // 3. Train, 4. save a Hugging Face folder.
        var evalExamples = plan.EvalData?.Rows.Cast<TokenizedExample>().ToArray();
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalExamples, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(model, examples, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(model, folder.Tokenizer, common.Training.OutputDir);
        callbacks.Write($"saved the IFT model to {common.Training.OutputDir}");
        return new RecipeResult(common.Training.OutputDir, plan, result);
    }

    /// <summary>The IFT objective over tokenized SFT examples (also what the experiment and the tests drive directly).</summary>
    public static TrainingObjective<TokenizedExample> CreateObjective(CausalLM model, IftRecipeOptions options, Tensor? frozenTable, int paddingId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var ift = new IftLoss(options.Ift);
        int chunk = options.Common.ChunkPositions;
        return new TrainingObjective<TokenizedExample>(
            Loss: (batch, step) =>
            {
                double lambda = options.Lambda.At(step.Step - 1);
                using SequenceBatch sequences = BatchCollator.Collate(batch.Select(e => e.Sequence).ToArray(), paddingId);
                var (tokenLogps, mask) = IftTokenLogProbs.Compute(model, sequences, frozenTable ?? model.Body.TokenEmbedding.Weight, lambda, chunk);
                double normaliser = options.Ift.Normalisation == IftNormalisation.TokenMean ? step.StepLossTokens : step.StepExamples;
                using ObjectiveOutput output = ift.Compute(tokenLogps, mask, normaliser);
                var metrics = new Dictionary<string, double>(output.Metrics) { [LambdaMetric] = lambda };
                return new ObjectiveOutput(output.Loss.alias(), metrics);
            },
            Tokens: e => e.Sequence.Length,
            LossTokens: e => LossTokenLogProbs.TargetCount(e.Sequence));
    }
}
