using AlignSharp.Data;
using AlignSharp.Generation;
using AlignSharp.Modeling;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Recipes.Online;

/// <summary>
/// The run every online method shares, written out: prompts → the rollout plan (printed) → reference (only when the
/// method needs it) → <see cref="RolloutSource"/> → the one <see cref="TrainingLoop"/> → a Hugging Face folder. The
/// method (GRPO, RLOO) supplies its advantages and objective (<see cref="OnlineMethod"/>).
/// </summary>
public static class OnlineRecipe
{
    /// <summary>The prompts and the plan, validated: what <c>--dry-run</c> shows before anything is sampled.</summary>
    public static (RolloutPrompts.Loaded Prompts, RolloutPlan Plan, IReadOnlyList<int> StopIds) Plan(ModelFolder folder, string dataPath, OnlineRecipeOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        options.Common.Training.Validate();
        options.Rollout.Validate();
        if (options.Common.EvalDataPath is not null || options.Common.Training.EvalSteps > 0)
            throw new ArgumentException("online methods have no held-out loss to evaluate (eval_steps / --eval-data); evaluate the saved model with `alignsharp eval` instead");
        var template = RecipeData.TemplateOrNull(folder, options.Common.ChatTemplate);
        var tokenizer = new DatasetTokenizer(folder.Tokenizer.Tokenizer, template, folder.ChatContext);
        var prompts = RolloutPrompts.Load(dataPath, tokenizer, template, folder.ChatContext, options.Rollout.MaxPromptLength ?? options.Common.MaxPromptLength,
            options.Common.SkipInvalid);
        var plan = new RolloutPlan(prompts.Prompts.Count, options.Common.Training.PerDeviceTrainBatchSize, options.Common.Training.GradientAccumulationSteps, options.Rollout);
        return (prompts, plan, StopTokenIds.For(folder, template));
    }

    /// <summary>
    /// What <c>--dry-run</c> shows: the prompts, the plan, the stop tokens, and one generation sampled from the starting
    /// model with its rewards and advantages (nothing is trained or written).
    /// </summary>
    public static IReadOnlyList<string> DryRun(ModelFolder folder, string dataPath, OnlineRecipeOptions options, OnlineMethod method,
        IReadOnlyList<IRewardFunction> rewardFunctions, int samples = 4)
    {
        var lines = new List<string>();
        var (prompts, plan, stopIds) = Plan(folder, dataPath, options);
        lines.Add($"{dataPath}: {prompts.Prompts.Count} prompts" + (prompts.TruncatedPrompts > 0 ? $", {prompts.TruncatedPrompts} cut from the left" : ""));
        lines.AddRange(plan.Describe(prompts.LongestPrompt));
        lines.Add($"  stop tokens: {string.Join(", ", stopIds)}");
        var source = new RolloutSource(folder.CausalLM, folder.Tokenizer.Tokenizer, prompts.Prompts, plan, options.Rollout,
            new RolloutRewards(rewardFunctions, options.RewardWeights), method.Advantages, stopIds, options.Common.Training.Seed,
            BatchCollator.PaddingId(folder.Tokenizer.Tokenizer), options.Common.ChunkPositions);
        var step = source.Step(0);
        var examples = step.MicroBatches.SelectMany(b => b).ToArray();
        lines.Add($"one generation from the starting model (reference not loaded; advantages without the KL term): reward {step.Metrics["reward"]:0.###}, " +
            $"frac_reward_zero_std {step.Metrics["frac_reward_zero_std"]:0.###}, clipped {step.Metrics["completions/clipped_ratio"]:P0}, mean length {step.Metrics["completions/mean_length"]:0.#} tokens");
        foreach (RolloutExample e in examples.Take(samples))
            lines.Add($"  prompt {e.PromptIndex}: {Quote(prompts.Prompts[e.PromptIndex].Text)} → {Quote(e.Completion)}{(e.Truncated ? " [truncated]" : "")} reward {e.Reward:0.###} advantage {e.Advantage:0.###}");
        return lines;
    }

    static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text as a JSON string (control characters escaped, everything else as written), cut to 80 characters.</summary>
    static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length <= 80 ? text : text[..77] + "...", Readable);

    public static OnlineRecipeResult Run(string modelDir, string dataPath, OnlineRecipeOptions options, OnlineMethod method,
        IReadOnlyList<IRewardFunction> rewardFunctions, RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(method);
        callbacks ??= new RecipeCallbacks();
        RecipeOptions common = options.Common;
        TrainingOptions training = common.Training;
        using ModelFolder folder = ModelFolder.Load(modelDir, precision: common.Precision);
        CausalLM policy = folder.CausalLM;

        // 1. Prompts and the plan, printed before anything is sampled.
        var (prompts, plan, stopIds) = Plan(folder, dataPath, options);
        callbacks.Write($"{dataPath}: {prompts.Prompts.Count} prompts" +
            (prompts.TruncatedPrompts > 0 ? $", {prompts.TruncatedPrompts} cut from the left to max_prompt_length" : "") +
            (prompts.OtherColumns.Count > 0 ? $"; columns passed to the rewards, not trained on: {string.Join(", ", prompts.OtherColumns)}" : ""));
        foreach (string line in plan.Describe(prompts.LongestPrompt)) callbacks.Write(line);
        callbacks.Write($"  stop tokens: {string.Join(", ", stopIds.Select(id => $"{id} {folder.Tokenizer.Tokenizer.IdToToken(id)}"))}" +
            (options.Rollout.MaskTruncatedCompletions ? "; truncated completions are left out of the loss" : ""));
        var rewards = new RolloutRewards(rewardFunctions, options.RewardWeights);
        callbacks.Write($"  rewards: {string.Join(" + ", rewards.Functions.Select((f, k) => $"{rewards.Weights[k]:0.###} × {f.Name}"))}");

        // 2. The reference, only when the method uses it (GRPO with beta = 0 loads none).
        using ModelFolder? reference = method.NeedsReference ? LoadReference(options.ReferenceModel ?? modelDir, folder, common) : null;
        callbacks.Write(reference is null ? "  no reference model (beta = 0)" : $"  reference: {reference.Path} (frozen, log-probs without gradients)");

        // 3. The source and the loop.
        string? lastCheckpoint = resumeFrom;
        var completionsLog = new CompletionsLog(training.OutputDir, options.Rollout.NumCompletionsToPrint, training.LoggingSteps);
        var warnings = new RolloutWarnings(options.ZeroStdWarningGenerations, line => callbacks.Write(line));
        int paddingId = BatchCollator.PaddingId(folder.Tokenizer.Tokenizer);
        var source = new RolloutSource(policy, folder.Tokenizer.Tokenizer, prompts.Prompts, plan, options.Rollout, rewards, method.Advantages,
            stopIds, training.Seed, paddingId, common.ChunkPositions, reference?.CausalLM,
            generation => { completionsLog.Write(generation); warnings.Check(generation); });
        var objective = method.Objective(new OnlineObjectiveContext(policy, paddingId, options.Rollout.Temperature, common.ChunkPositions,
            options.Rollout.MaxCompletionLength, () => lastCheckpoint));
        TrainingCallbacks given = callbacks.Training ?? new TrainingCallbacks();
        var loopCallbacks = given with { OnCheckpoint = path => { lastCheckpoint = path; given.OnCheckpoint?.Invoke(path); } };
        TrainingResult result = TrainingLoop.Run(policy, source, objective, training, loopCallbacks, resumeFrom);

        // 4. A Hugging Face folder.
        FinalModelFolder.Save(policy, folder.Tokenizer, training.OutputDir);
        callbacks.Write($"saved the {method.Name.ToUpperInvariant()} model to {training.OutputDir}; samples of what it wrote are in {Path.Combine(training.OutputDir, CompletionsLog.FileName)}");
        return new OnlineRecipeResult(training.OutputDir, plan, result);
    }

    static ModelFolder LoadReference(string path, ModelFolder policy, RecipeOptions common)
    {
        var reference = ModelFolder.Load(path, precision: common.Precision);
        if (reference.Tokenizer.Tokenizer.VocabSize != policy.Tokenizer.Tokenizer.VocabSize)
        {
            reference.Dispose();
            throw new ArgumentException($"the reference {path} has another tokenizer than the policy {policy.Path}; the KL needs the same token ids");
        }
        reference.Model.eval();
        foreach (var parameter in reference.Model.parameters()) parameter.requires_grad = false;
        return reference;
    }
}
