using AlignSharp.Data;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Recipes;

/// <summary>
/// The data step of <see cref="ALoLRecipe"/>: as <see cref="RecipeData"/> (whole file tokenised, truncated and
/// validated before step 1) but for the scored layout prompt/completion/reward, which RecipeData's SFT path
/// refuses. Plain prompt/completion rows are accepted too; the recipe then requires variant <c>nll</c>.
/// </summary>
public static class ALoLData
{
    private const string Expected = "prompt/completion/reward rows";

    public static RecipePlan Prepare(ModelFolder model, string dataPath, RecipeOptions options, string method)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Training.Validate();
        new TruncationOptions(options.MaxLength, options.MaxPromptLength).Validate();
        var tokenizer = new DatasetTokenizer(model.Tokenizer.Tokenizer, TemplateOrNull(model, options.ChatTemplate), model.ChatContext);
        PreparedDataset data = Read(dataPath, tokenizer, options, method);
        var batch = EffectiveBatch.Summarize(data.Rows, options.Training.PerDeviceTrainBatchSize, options.Training.GradientAccumulationSteps);
        PreparedDataset? eval = options.EvalDataPath is { } evalPath ? Read(evalPath, tokenizer, options, method) : null;
        return new RecipePlan(data, batch, model.Tokenizer.Tokenizer) { EvalData = eval };
    }

    private static PreparedDataset Read(string path, DatasetTokenizer tokenizer, RecipeOptions options, string method)
    {
        PreparedDataset data = DatasetPreparation.Prepare(path, tokenizer, options.Preparation());
        if (data.Format is not (DatasetFormat.Scored or DatasetFormat.PromptCompletion) || data.Rows.Any(r => r is not TokenizedExample))
            throw new InvalidDataException($"{path}: {method} trains on {Expected}, but the file holds {data.Format} rows");
        return data;
    }

    private static IChatTemplate? TemplateOrNull(ModelFolder model, string? name)
    {
        if (name is not null) return model.ChatTemplate(name);
        try { return model.ChatTemplate(); }
        catch (Exception e) when (e is ChatTemplateNotRecognizedException or ChatTemplateException or InvalidDataException or ArgumentException) { return null; }
    }
}
