using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// ORPO, written out: source = preference pairs, scorer = the policy's own per-token mean log-probs (no reference),
/// objective = <see cref="OrpoLoss"/> (chosen NLL − β·log σ(log odds ratio)). Chosen and rejected go through the
/// policy in one forward pass.
/// </summary>
public static class OrpoRecipe
{
    public const string Method = "orpo";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PreparePairs(model, dataPath, options, Method);

    public static RecipeResult Run(string modelDir, string dataPath, OrpoRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        using ModelFolder folder = ModelFolder.Load(modelDir);
        CausalLM policy = folder.CausalLM;

        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var pairs = plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        var objective = CreateObjective(policy, options, paddingId);

        var evalPairs = plan.EvalData?.Rows.Cast<TokenizedPair>().ToArray();
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalPairs, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(policy, pairs, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(policy, folder.Tokenizer, common.Training.OutputDir);
        callbacks.Write($"saved the ORPO model to {common.Training.OutputDir}");
        return new RecipeResult(common.Training.OutputDir, plan, result);
    }

    /// <summary>The ORPO objective over tokenized pairs; the token normaliser counts chosen tokens (the NLL's).</summary>
    public static TrainingObjective<TokenizedPair> CreateObjective(CausalLM policy, OrpoRecipeOptions options, int paddingId)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var orpo = new OrpoLoss(options.Orpo);
        int chunk = options.Common.ChunkPositions;
        return new TrainingObjective<TokenizedPair>(
            Loss: (batch, step) =>
            {
                using PreferenceBatch collated = BatchCollator.CollatePairs(batch.ToArray(), paddingId);
                using var both = new SequenceBatch(
                    cat([collated.Chosen.InputIds, collated.Rejected.InputIds], 0),
                    cat([collated.Chosen.AttentionMask, collated.Rejected.AttentionMask], 0),
                    cat([collated.Chosen.LossMask, collated.Rejected.LossMask], 0),
                    cat([collated.Chosen.Labels, collated.Rejected.Labels], 0),
                    [.. collated.Chosen.Lengths, .. collated.Rejected.Lengths],
                    [.. collated.Chosen.PromptLengths, .. collated.Rejected.PromptLengths]);
                using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(policy, both, chunk);
                int n = batch.Count;
                return orpo.Compute(
                    logProbs.TokenLogProbs.narrow(0, 0, n), logProbs.Mask.narrow(0, 0, n),
                    logProbs.TokenLogProbs.narrow(0, n, n), logProbs.Mask.narrow(0, n, n),
                    pairNormaliser: step.StepExamples, chosenTokenNormaliser: step.StepLossTokens);
            },
            Tokens: e => e.Chosen.Length + e.Rejected.Length,
            LossTokens: e => LossTokenLogProbs.TargetCount(e.Chosen));
    }
}
