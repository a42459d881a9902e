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

        // 3. Objective: chosen and rejected through the policy in one forward pass.
        var objective = new TrainingObjective<DpoExample>(
            Loss: (batch, step) =>
            {
                using PreferenceBatch collated = BatchCollator.CollatePairs(batch.Select(e => e.Pair).ToArray(), paddingId);
                using var both = new SequenceBatch(
                    cat([collated.Chosen.InputIds, collated.Rejected.InputIds], 0),
                    cat([collated.Chosen.AttentionMask, collated.Rejected.AttentionMask], 0),
                    cat([collated.Chosen.LossMask, collated.Rejected.LossMask], 0),
                    cat([collated.Chosen.Labels, collated.Rejected.Labels], 0),
                    [.. collated.Chosen.Lengths, .. collated.Rejected.Lengths],
                    [.. collated.Chosen.PromptLengths, .. collated.Rejected.PromptLengths]);
                using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(policy, both, common.ChunkPositions);
                int n = batch.Count;
                Tensor referenceChosenLogps = tensor(batch.Select(e => (float)e.ReferenceChosenLogp).ToArray());
                Tensor referenceRejectedLogps = tensor(batch.Select(e => (float)e.ReferenceRejectedLogp).ToArray());
                return dpo.Compute(
                    logProbs.Sum.narrow(0, 0, n), logProbs.Sum.narrow(0, n, n),
                    referenceChosenLogps, referenceRejectedLogps,
                    logProbs.Count.narrow(0, 0, n), logProbs.Count.narrow(0, n, n),
                    pairNormaliser: step.StepExamples);
            },
            Tokens: e => e.Pair.Chosen.Length + e.Pair.Rejected.Length);

        // 4. Train, 5. save.
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalExamples, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(policy, examples, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(policy, folder.Tokenizer, outputDir);
        callbacks.Write($"saved the DPO model to {outputDir}");
        return new RecipeResult(outputDir, plan, result);
    }
}
