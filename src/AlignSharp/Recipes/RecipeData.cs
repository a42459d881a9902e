using AlignSharp.Data;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Recipes;

/// <summary>
/// The data step every recipe shares: the whole file is read, tokenised with the model's own tokenizer (the one
/// path training, scoring and generation use), truncated and validated before step 1; then the layout is checked
/// against what the method trains on.
/// </summary>
public static class RecipeData
{
    /// <summary>Rows of one sequence (SFT): <c>prompt</c>/<c>completion</c> or <c>messages</c>.</summary>
    public static RecipePlan PrepareExamples(ModelFolder model, string dataPath, RecipeOptions options, string method) =>
        Prepare<TokenizedExample>(model, dataPath, options, method, "prompt/completion or messages rows", DatasetFormat.PromptCompletion, DatasetFormat.Messages);

    /// <summary>Preference pairs (reward models, DPO): <c>prompt</c>/<c>chosen</c>/<c>rejected</c> or implicit-prompt pairs.</summary>
    public static RecipePlan PreparePairs(ModelFolder model, string dataPath, RecipeOptions options, string method) =>
        Prepare<TokenizedPair>(model, dataPath, options, method, "prompt/chosen/rejected rows", DatasetFormat.Preference, DatasetFormat.ImplicitPromptPreference);

    /// <summary>
    /// Scored rows (A-LoL and other reward-weighted methods): <c>prompt</c>/<c>completion</c>/<c>reward</c>; plain
    /// <c>prompt</c>/<c>completion</c> rows too (the method decides whether it can train without rewards).
    /// </summary>
    public static RecipePlan PrepareScored(ModelFolder model, string dataPath, RecipeOptions options, string method) =>
        Prepare<TokenizedExample>(model, dataPath, options, method, "prompt/completion/reward rows", DatasetFormat.Scored, DatasetFormat.PromptCompletion);

    static RecipePlan Prepare<TRow>(ModelFolder model, string dataPath, RecipeOptions options, string method, string expected, params DatasetFormat[] formats)
        where TRow : TokenizedRow
    {
        options.Training.Validate();
        if (options.Training.EvalSteps > 0 && options.EvalDataPath is null)
            throw new ArgumentException($"eval_steps = {options.Training.EvalSteps} needs held-out data to evaluate on (--eval-data FILE); set eval_steps = 0 to train without evaluation");
        new Data.TruncationOptions(options.MaxLength, options.MaxPromptLength).Validate();
        var tokenizer = new DatasetTokenizer(model.Tokenizer.Tokenizer, TemplateOrNull(model, options.ChatTemplate), model.ChatContext);
        PreparedDataset data = DatasetPreparation.Prepare(dataPath, tokenizer, options.Preparation());
        if (!formats.Contains(data.Format) || data.Rows.Any(r => r is not TRow))
            throw new InvalidDataException($"{dataPath}: {method} trains on {expected}, but the file holds {data.Format} rows");
        var batch = EffectiveBatch.Summarize(data.Rows, options.Training.PerDeviceTrainBatchSize, options.Training.GradientAccumulationSteps);
        PreparedDataset? eval = null;
        if (options.EvalDataPath is { } evalPath)
        {
            eval = DatasetPreparation.Prepare(evalPath, tokenizer, options.Preparation());
            if (!formats.Contains(eval.Format) || eval.Rows.Any(r => r is not TRow))
                throw new InvalidDataException($"{evalPath}: {method} evaluates on {expected}, but the file holds {eval.Format} rows");
        }
        return new RecipePlan(data, batch, model.Tokenizer.Tokenizer) { EvalData = eval };
    }

    /// <summary>The chat template if one is named or recognised; plain-text datasets need none, so its absence is not an error here.</summary>
    internal static IChatTemplate? TemplateOrNull(ModelFolder model, string? name)
    {
        if (name is not null) return model.ChatTemplate(name);
        try { return model.ChatTemplate(); }
        catch (Exception e) when (e is ChatTemplateNotRecognizedException or ChatTemplateException or InvalidDataException or ArgumentException) { return null; }
    }
}
