using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// ORPO, written out: source = preference pairs, scorer = the policy's own per-token mean log-probs (no reference),
/// objective = <see cref="OrpoLoss"/> (chosen NLL − β·log σ(log odds ratio)). As DPO, a training step back-propagates
/// chosen and rejected rows one side at a time (<see cref="PairSplitPassStep"/>) unless <see cref="OrpoRecipeOptions.PairSteps"/>
/// says otherwise.
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
        using ModelFolder folder = ModelFolder.Load(modelDir, precision: common.Precision);
        CausalLM policy = folder.CausalLM;

        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var pairs = plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        var objective = CreateObjective(policy, options, paddingId);
        callbacks.Write($"ORPO passes: {options.PairSteps.Describe()}");

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
        return PairObjective.Create<TokenizedPair>(policy, paddingId, options.Common.ChunkPositions, options.PairSteps,
            pair => pair,
            (_, step) => PairLosses.Orpo(orpo, pairNormaliser: step.StepExamples, chosenTokenNormaliser: step.StepLossTokens),
            lossTokens: e => LossTokenLogProbs.TargetCount(e.Chosen));
    }
}
