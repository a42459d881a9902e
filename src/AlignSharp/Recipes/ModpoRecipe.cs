using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Rewards;
using AlignSharp.Text;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Multi-objective DPO (algorithms.md §2): source = preference pairs of one objective, scorers = the implicit reward
/// β·log π_θ/π_ref and frozen margin scorers of the other objectives, objective = <see cref="ModpoLoss"/>.
/// Before step 1 one pass computes the reference log-probs and every margin reward of both responses, cached in
/// <see cref="ModpoPassCache"/>: training then holds the policy only, as DPO does, and (like DPO) back-propagates chosen and
/// rejected rows one side at a time (<see cref="PairSplitPassStep"/>) unless <see cref="ModpoRecipeOptions.PairSteps"/> says otherwise.
/// </summary>
public static class ModpoRecipe
{
    public const string Method = "modpo";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PreparePairs(model, dataPath, options, Method);

    /// <summary>Creates the scorers of <see cref="ModpoRecipeOptions.MarginScorers"/>, runs, and disposes them.</summary>
    public static RecipeResult Run(string modelDir, string dataPath, ModpoRecipeOptions options, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckScorerCount(options.Modpo, options.MarginScorers.Count);
        double marginBeta = options.MarginBeta ?? options.Modpo.Beta;
        var scorers = new List<IMarginScorer>();
        try
        {
            foreach (string spec in options.MarginScorers) scorers.Add(ModpoMarginScorers.Create(spec, marginBeta));
            return Run(modelDir, dataPath, options, scorers, callbacks, resumeFrom);
        }
        finally
        {
            foreach (IMarginScorer scorer in scorers) scorer.Dispose();
        }
    }

    /// <summary>Runs with the given margin scorers (in the order of the weights after w_k); the caller owns them.</summary>
    public static RecipeResult Run(string modelDir, string dataPath, ModpoRecipeOptions options, IReadOnlyList<IMarginScorer> scorers,
        RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scorers);
        if (options.ReferenceBatchSize < 1) throw new ArgumentException($"the reference batch size must be at least 1 (got {options.ReferenceBatchSize})");
        CheckScorerCount(options.Modpo, scorers.Count);
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        string outputDir = common.Training.OutputDir;
        var modpo = new ModpoLoss(options.Modpo);
        using ModelFolder folder = ModelFolder.Load(modelDir, precision: common.Precision);
        CausalLM policy = folder.CausalLM;

        // 1. Data, validated before step 1.
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var trainPairs = plan.Data.Rows.Cast<TokenizedPair>().ToArray();
        var evalPairs = plan.EvalData?.Rows.Cast<TokenizedPair>().ToArray() ?? [];
        TokenizedPair[] pairs = [.. trainPairs, .. evalPairs];
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        callbacks.Write($"MODPO: {options.Modpo.LossType.ToName()}, beta {options.Modpo.Beta}, weights ({string.Join(", ", options.Modpo.Weights)}): " +
                        $"w_k on the preferences, then {(scorers.Count == 0 ? "no margin scorers (plain DPO)" : string.Join(", ", scorers.Select(s => s.Name)))}");

        // 2. The pre-training pass (or its cache): reference log-probs and margin rewards.
        string referenceDir = options.ReferenceModel ?? modelDir;
        string fingerprint = ModpoPassCache.Fingerprint(pairs, referenceDir, scorers.Select(s => s.Name));
        string cachePath = Path.Combine(outputDir, ModpoPassCache.FileName);
        ModpoPassCache.Pass? pass = ModpoPassCache.TryRead(outputDir, fingerprint);
        if (pass is not null)
            callbacks.Write($"reference log-probs and margins: read from {cachePath} ({pairs.Length} pairs)");
        else
        {
            var (referenceChosen, referenceRejected) = ReferenceLogProbCache.ComputeWith(policy, options.ReferenceModel, pairs, paddingId,
                options.ReferenceBatchSize, common.ChunkPositions, common.Precision, "MODPO");
            var (chosenMargins, rejectedMargins) = MarginPass(scorers, pairs, folder.Tokenizer.Tokenizer);
            pass = new ModpoPassCache.Pass(fingerprint, Path.GetFullPath(referenceDir), scorers.Select(s => s.Name).ToArray(),
                referenceChosen, referenceRejected, chosenMargins, rejectedMargins);
            ModpoPassCache.Write(outputDir, pass);
            callbacks.Write($"reference log-probs and margins: computed for {pairs.Length} pairs, cached in {cachePath}");
        }
        var all = pairs.Select((p, i) => new ModpoExample(p, pass.ReferenceChosen[i], pass.ReferenceRejected[i], pass.ChosenMargins[i], pass.RejectedMargins[i])).ToArray();
        var examples = all[..trainPairs.Length];
        ModpoExample[]? evalExamples = plan.EvalData is null ? null : all[trainPairs.Length..];
        int m = scorers.Count;

        // 3. Objective: margins from the cache; as DPO, chosen and rejected rows back-propagated one side at a time by default.
        var objective = PairObjective.Create<ModpoExample>(policy, paddingId, common.ChunkPositions, options.PairSteps,
            e => e.Pair,
            (batch, step) =>
            {
                int n = batch.Count;
                Tensor referenceChosenLogps = tensor(batch.Select(e => (float)e.ReferenceChosenLogp).ToArray());
                Tensor referenceRejectedLogps = tensor(batch.Select(e => (float)e.ReferenceRejectedLogp).ToArray());
                Tensor? chosenMargins = m == 0 ? null : tensor(batch.SelectMany(e => e.ChosenMargins).Select(v => (float)v).ToArray()).reshape(n, m);
                Tensor? rejectedMargins = m == 0 ? null : tensor(batch.SelectMany(e => e.RejectedMargins).Select(v => (float)v).ToArray()).reshape(n, m);
                return PairLosses.Modpo(modpo, referenceChosenLogps, referenceRejectedLogps, chosenMargins, rejectedMargins, pairNormaliser: step.StepExamples);
            });
        callbacks.Write($"MODPO passes: {options.PairSteps.Describe()}");

        // 4. Train, 5. save.
        var loopCallbacks = RecipeEvaluation.With(callbacks.Training, objective, evalExamples, common.Training.PerDeviceTrainBatchSize);
        TrainingResult result = TrainingLoop.Run(policy, examples, objective, common.Training, loopCallbacks, resumeFrom);
        FinalModelFolder.Save(policy, folder.Tokenizer, outputDir);
        callbacks.Write($"saved the MODPO model to {outputDir}");
        return new RecipeResult(outputDir, plan, result);
    }

    static void CheckScorerCount(ModpoOptions modpo, int scorers)
    {
        modpo.Validate();
        if (modpo.MarginCount != scorers)
            throw new ArgumentException(
                $"MODPO: {modpo.Weights.Count} weights need {modpo.MarginCount} margin scorer(s) (w_k first, then one per scorer), but {scorers} were given");
    }

    /// <summary>Every scorer on every chosen and rejected response; [pair][scorer].</summary>
    static (double[][] Chosen, double[][] Rejected) MarginPass(IReadOnlyList<IMarginScorer> scorers, TokenizedPair[] pairs, ITokenizer tokenizer)
    {
        var chosenInputs = pairs.Select(p => Input(p.Chosen, tokenizer)).ToArray();
        var rejectedInputs = pairs.Select(p => Input(p.Rejected, tokenizer)).ToArray();
        var chosen = pairs.Select(_ => new double[scorers.Count]).ToArray();
        var rejected = pairs.Select(_ => new double[scorers.Count]).ToArray();
        for (int j = 0; j < scorers.Count; j++)
        {
            var c = Checked(scorers[j], chosenInputs);
            var r = Checked(scorers[j], rejectedInputs);
            for (int i = 0; i < pairs.Length; i++)
            {
                chosen[i][j] = c[i];
                rejected[i][j] = r[i];
            }
        }
        return (chosen, rejected);
    }

    static IReadOnlyList<double> Checked(IMarginScorer scorer, MarginInput[] inputs)
    {
        var scores = scorer.Score(inputs);
        if (scores.Count != inputs.Length)
            throw new InvalidOperationException($"margin scorer \"{scorer.Name}\" returned {scores.Count} scores for {inputs.Length} responses");
        for (int i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i]))
                throw new InvalidOperationException($"margin scorer \"{scorer.Name}\" returned {scores[i]} for response {i} (\"{inputs[i].Completion}\")");
        return scores;
    }

    // Text is decoded from the ids the policy trains on, so text-based and token-based scorers see the same response.
    static MarginInput Input(TokenizedSequence sequence, ITokenizer tokenizer)
    {
        int[] promptIds = sequence.PromptIds.ToArray(), completionIds = sequence.CompletionIds.ToArray();
        return new MarginInput(tokenizer.Decode(promptIds, skipSpecialTokens: true), tokenizer.Decode(completionIds, skipSpecialTokens: true), promptIds, completionIds);
    }
}
