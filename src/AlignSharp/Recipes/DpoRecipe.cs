using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Direct preference optimisation, written out: source = preference pairs, scorer = the implicit reward
/// β·(log π_θ − log π_ref) summed over each completion's trained tokens, objective = <see cref="DpoLoss"/>
/// (sigmoid, conservative or IPO). The reference's log-probs are one no-grad pass before step 1, cached in the
/// output folder (<see cref="ReferenceLogProbCache"/>), so training holds the policy only (DESIGN.md pitfall 1).
/// A training step back-propagates chosen and rejected rows one side at a time (<see cref="PairSplitPassStep"/>), so its
/// activations are an SFT step's, not twice that; <see cref="DpoRecipeOptions.PairSteps"/> selects the one-pass step instead.
/// </summary>
public static class DpoRecipe
{
    public const string Method = "dpo";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PreparePairs(model, dataPath, options, Method);

    public static RecipeResult Run(string modelDir, string dataPath, DpoRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReferenceBatchSize < 1) throw new ArgumentException($"the reference batch size must be at least 1 (got {options.ReferenceBatchSize})");
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        string outputDir = common.Training.OutputDir;
        var dpo = new DpoLoss(options.Dpo);
        using ModelFolder folder = ModelFolder.Load(modelDir, precision: common.Precision);
        CausalLM policy = folder.CausalLM;

        // 1. Data, validated before step 1.
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var trainPairs = plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        var evalPairs = plan.EvalData?.Rows.Cast<TokenizedPair>().ToArray() ?? [];
        TokenizedPair[] pairs = [.. trainPairs, .. evalPairs]; // one reference pass covers both
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);

        // 2. The reference pass (or its cache): the policy before any update, or another folder loaded only for this pass.
        string referenceDir = options.ReferenceModel ?? modelDir;
        string fingerprint = ReferenceLogProbCache.Fingerprint(pairs, referenceDir);
        var cached = ReferenceLogProbCache.TryRead(outputDir, fingerprint);
        double[] referenceChosen, referenceRejected;
        if (cached is { } hit)
        {
            (referenceChosen, referenceRejected) = hit;
            callbacks.Write($"reference log-probs: read from {Path.Combine(outputDir, ReferenceLogProbCache.FileName)} ({pairs.Length} pairs, reference {referenceDir})");
        }
        else
        {
            (referenceChosen, referenceRejected) = ReferenceLogProbCache.ComputeWith(policy, options.ReferenceModel, pairs, paddingId,
                options.ReferenceBatchSize, common.ChunkPositions, common.Precision, "DPO");
            ReferenceLogProbCache.Write(outputDir, fingerprint, Path.GetFullPath(referenceDir), referenceChosen, referenceRejected);
            callbacks.Write($"reference log-probs: computed for {pairs.Length} pairs with {referenceDir}, cached in {Path.Combine(outputDir, ReferenceLogProbCache.FileName)}");
        }
        var all = pairs.Select((p, i) => new DpoExample(p, referenceChosen[i], referenceRejected[i])).ToArray();
        var examples = all[..trainPairs.Length];
        DpoExample[]? evalExamples = plan.EvalData is null ? null : all[trainPairs.Length..];

        // 3. Objective. Training runs the split step by default (one side's activations alive at a time); evaluation,
        // under no_grad, and the concatenated option run both sides in one forward. The gradient is the same.
        var objective = PairObjective.Create<DpoExample>(policy, paddingId, common.ChunkPositions, options.PairSteps,
            e => e.Pair,
            (batch, step) =>
            {
                var (referenceChosenLogps, referenceRejectedLogps) = ReferenceLogps(batch);
                return PairLosses.Dpo(dpo, referenceChosenLogps, referenceRejectedLogps, pairNormaliser: step.StepExamples);
            });
        callbacks.Write($"DPO passes: {options.PairSteps.Describe()}");

        // 4. Train, 5. save.
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalExamples, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(policy, examples, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(policy, folder.Tokenizer, outputDir);
        callbacks.Write($"saved the DPO model to {outputDir}");
        return new RecipeResult(outputDir, plan, result);
    }

    // The cached reference log-probs of a micro-batch as [pairs] fp32 tensors, in the caller's dispose scope.
    static (Tensor Chosen, Tensor Rejected) ReferenceLogps(IReadOnlyList<DpoExample> batch) =>
        (tensor(batch.Select(e => (float)e.ReferenceChosenLogp).ToArray()), tensor(batch.Select(e => (float)e.ReferenceRejectedLogp).ToArray()));
}
