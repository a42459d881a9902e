using System.Text.Json;
using AlignSharp.Data;
using AlignSharp.Generation;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Rewards;
using AlignSharp.Training;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// A-LoL and its baselines, written out (algorithms.md §3b): source = a fixed scored dataset (prompt,
/// completion, reward); scorer = the rows' rewards and, for the A-LoL variants, the advantage A = R − V(x)
/// with V a <see cref="ValueHead"/> on the frozen reference fitted to the rewards of the reference's own
/// greedy samples; objective = <see cref="ALoLLoss"/>. The model folder given is π_ref (the NLL model) and
/// the policy starts from it. Everything the reference contributes is one no-grad pass before step 1:
/// values and advantages (written to <c>alol_advantages.jsonl</c>) and per-token log-probs, so training holds
/// one model. A-LoL variants then train on rows drawn ∝ A⁺ (rows with A ≤ 0 never), as many draws as
/// epochs × positive rows (the code's max_steps × positive fraction); the baselines read the data in epochs.
/// </summary>
public static class ALoLRecipe
{
    public const string Method = "alol";
    public const string AdvantagesFile = "alol_advantages.jsonl";

    public static RecipePlan Plan(ModelFolder model, string dataPath, RecipeOptions options) =>
        RecipeData.PrepareScored(model, dataPath, options, Method);

    /// <summary><paramref name="reward"/> scores the reference's samples for the value head; needed by the A-LoL variants only.</summary>
    public static RecipeResult Run(string modelDir, string dataPath, ALoLRecipeOptions options, IRewardFunction? reward,
        RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        callbacks ??= new RecipeCallbacks();
        if (options.ReferenceBatchSize < 1) throw new ArgumentException($"the reference batch size must be at least 1 (got {options.ReferenceBatchSize})");
        var loss = new ALoLLoss(options.Loss);
        var variant = options.Loss.Variant;
        if (variant.UsesAdvantage() && reward is null)
            throw new ArgumentException($"A-LoL variant '{variant.ToName()}' needs a reward function to fit the value head on the reference's samples");
        RecipeOptions common = options.Common;
        string outputDir = common.Training.OutputDir;
        Directory.CreateDirectory(outputDir);
        using ModelFolder folder = ModelFolder.Load(modelDir, precision: common.Precision);
        CausalLM policy = folder.CausalLM;
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);

        // 1. Data: scored rows, validated before step 1.
        RecipePlan plan = Plan(folder, dataPath, common);
        foreach (string line in plan.LogLines()) callbacks.Write(line);
        var rows = plan.Data.Rows.Cast<TokenizedExample>().ToArray();
        var evalRows = plan.EvalData?.Rows.Cast<TokenizedExample>().ToArray() ?? [];
        int missing = Array.FindIndex(rows, r => r.Reward is null);
        if (variant != ALoLVariant.Nll && missing >= 0)
            throw new InvalidDataException($"{dataPath}: row {rows[missing].Source} has no reward; A-LoL variant '{variant.ToName()}' trains on prompt/completion/reward rows");

        // 2. The reference pass, before any update: the policy is still π_ref.
        double[] values = new double[rows.Length];
        if (variant.UsesAdvantage())
            values = FitValuesAndPredict(policy, folder, rows, evalRows, reward!, options, paddingId, callbacks);
        float[][]? referenceLogps = variant.UsesReference() ? ReferenceTokenLogps(policy, rows, paddingId, options) : null;
        var examples = rows.Select((r, i) => new ALoLExample(r, r.Reward ?? 0, values[i], (r.Reward ?? 0) - values[i], referenceLogps?[i])).ToArray();
        WriteAdvantages(Path.Combine(outputDir, AdvantagesFile), examples);

        // 3. Leftover-lunch filter and priority sampling for the A-LoL variants.
        IReadOnlyList<ALoLExample> trainData = examples;
        TrainingOptions training = common.Training;
        if (variant.UsesAdvantage())
        {
            var advantages = examples.Select(e => e.Advantage).ToArray();
            int positive = advantages.Count(a => a > 0);
            int draws = Math.Max(1, (int)Math.Round(training.NumTrainEpochs * positive));
            trainData = ALoLPrioritySampler.Draw(advantages, draws, training.Seed).Select(i => examples[i]).ToArray();
            training = training with { NumTrainEpochs = 1 };
            callbacks.Write($"advantages: {positive} of {examples.Length} rows positive ({100.0 * positive / examples.Length:F1}%), mean A {advantages.Average():F4}; {draws} rows drawn ∝ A⁺ (seed {training.Seed})");
        }

        // 4. Objective.
        var objective = new TrainingObjective<ALoLExample>(
            Loss: (batch, step) =>
            {
                using SequenceBatch sequences = BatchCollator.Collate(batch.Select(e => e.Example.Sequence).ToArray(), paddingId);
                using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(policy, sequences, common.ChunkPositions);
                Tensor scores = tensor(batch.Select(e => (float)(variant.UsesAdvantage() ? e.Advantage : e.Reward)).ToArray());
                Tensor? reference = referenceLogps is null ? null : ScatterReference(batch, logProbs.Mask);
                return loss.Compute(logProbs.TokenLogProbs, logProbs.Mask, scores, reference, step.StepExamples);
            },
            Tokens: e => e.Example.Sequence.Length,
            LossTokens: e => LossTokenLogProbs.TargetCount(e.Example.Sequence));

        // 5. Train, 6. save.
        TrainingResult result = TrainingLoop.Run(policy, trainData, objective, training with { EvalSteps = 0 }, callbacks.Training, resumeFrom);
        FinalModelFolder.Save(policy, folder.Tokenizer, outputDir);
        callbacks.Write($"saved the {variant.ToName()} model to {outputDir}");
        return new RecipeResult(outputDir, plan, result);
    }

    private static double[] FitValuesAndPredict(CausalLM reference, ModelFolder folder, TokenizedExample[] rows, TokenizedExample[] evalRows,
        IRewardFunction reward, ALoLRecipeOptions options, int paddingId, RecipeCallbacks callbacks)
    {
        var tokenizer = folder.Tokenizer.Tokenizer;
        // V is fitted on the dev prompts when there are any (as the code), else on the training prompts.
        var source = evalRows.Length > 0 ? evalRows : rows;
        var prompts = source.Select(r => (IReadOnlyList<int>)r.Sequence.PromptIds.ToArray())
            .DistinctBy(p => string.Join(",", p)).ToArray();
        var generator = new SequenceGenerator(reference, tokenizer);
        var samples = new List<GeneratedSequence>();
        foreach (var chunk in prompts.Chunk(options.ReferenceBatchSize))
            samples.AddRange(generator.Generate(chunk, new GenerationOptions(MaxNewTokens: options.ValueMaxNewTokens, DoSample: false)));
        var inputs = prompts.Select((p, i) => new RewardInput(tokenizer.Decode(p, skipSpecialTokens: true), samples[i].Text ?? tokenizer.Decode(samples[i].TokenIds, skipSpecialTokens: true))).ToArray();
        var sampleRewards = reward.ScoreChecked(inputs);
        using var valueFeatures = ALoLPromptFeatures.Compute(reference, prompts, paddingId, options.ReferenceBatchSize);
        var (head, mse) = ALoLValueFit.Fit(valueFeatures, sampleRewards, options.ValueFit);
        using (head)
        {
            callbacks.Write($"value head: fitted on {prompts.Length} greedy reference samples (mean reward {sampleRewards.Average():F4}), best training MSE {mse.Min():F5} over {mse.Count} epochs");
            var trainPrompts = rows.Select(r => (IReadOnlyList<int>)r.Sequence.PromptIds.ToArray()).ToArray();
            using var trainFeatures = ALoLPromptFeatures.Compute(reference, trainPrompts, paddingId, options.ReferenceBatchSize);
            return ALoLValueFit.Predict(head, trainFeatures);
        }
    }

    private static float[][] ReferenceTokenLogps(CausalLM reference, TokenizedExample[] rows, int paddingId, ALoLRecipeOptions options)
    {
        var result = new float[rows.Length][];
        using var _ = no_grad();
        for (int start = 0; start < rows.Length; start += options.ReferenceBatchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = rows.Skip(start).Take(options.ReferenceBatchSize).ToArray();
            using SequenceBatch batch = BatchCollator.Collate(chunk.Select(r => r.Sequence).ToArray(), paddingId);
            using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(reference, batch, options.Common.ChunkPositions);
            for (int b = 0; b < chunk.Length; b++)
                result[start + b] = logProbs.TokenLogProbs[b].masked_select(logProbs.Mask[b]).data<float>().ToArray();
        }
        return result;
    }

    // Puts each row's cached reference log-probs back at its trained positions (the same positions at any padding).
    private static Tensor ScatterReference(IReadOnlyList<ALoLExample> batch, Tensor mask)
    {
        long time = mask.shape[1];
        var values = new float[batch.Count * time];
        bool[] selected = mask.data<bool>().ToArray();
        for (int b = 0; b < batch.Count; b++)
        {
            int k = 0;
            float[] reference = batch[b].ReferenceTokenLogps!;
            for (int t = 0; t < time; t++)
                if (selected[b * time + t]) values[b * time + t] = reference[k++];
            if (k != reference.Length) throw new InvalidOperationException($"A-LoL: row {batch[b].Example.Source} has {k} trained tokens but {reference.Length} cached reference log-probs");
        }
        return tensor(values, [batch.Count, time]);
    }

    private static void WriteAdvantages(string path, IReadOnlyList<ALoLExample> examples)
    {
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
            foreach (var e in examples)
                writer.WriteLine(JsonSerializer.Serialize(new { row = e.Example.Source.ToString(), reward = e.Reward, value = e.Value, advantage = e.Advantage }));
        File.Move(temporary, path, overwrite: true);
    }
}
