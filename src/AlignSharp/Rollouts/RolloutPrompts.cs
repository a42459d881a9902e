using AlignSharp.Data;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Rollouts;

/// <summary>
/// The prompt set of an online run, from a dataset's <c>prompt</c> column (TRL's prompt-only layout; other columns,
/// e.g. a completion or an answer, are kept for the rewards, not trained on). Plain-text prompts are encoded as in
/// training (the tokenizer's special tokens, e.g. BOS); message lists are rendered by the chat template with the
/// generation prompt, as at inference. Prompts longer than max_prompt_length are cut from the left, and counted.
/// </summary>
public static class RolloutPrompts
{
    public sealed record Loaded(IReadOnlyList<RolloutPrompt> Prompts, int TruncatedPrompts, int LongestPrompt, IReadOnlyList<string> OtherColumns);

    public static Loaded Load(string dataPath, DatasetTokenizer tokenizer, IChatTemplate? template, ChatTemplateContext context, int? maxPromptLength,
        bool skipInvalid = false)
    {
        LoadedDataset data = DatasetReader.Read(dataPath, DatasetFormat.PromptOnly, skipInvalid);
        var prompts = new List<RolloutPrompt>(data.Rows.Count);
        int truncated = 0;
        var otherColumns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (PromptRow row in data.Rows.Cast<PromptRow>())
        {
            foreach (var column in row.Columns.EnumerateObject()) if (column.Name != "prompt") otherColumns.Add(column.Name);
            int[] ids;
            string text;
            try
            {
                if (row.Prompt.IsConversational)
                {
                    if (template is null)
                        throw new InvalidDataException("the prompt is a message list, but the model folder has no recognised chat template (give --chat-template NAME)");
                    ids = [.. tokenizer.TokenizeConversation(row.Prompt.Messages!, []).InputIds];
                    text = template.Render(row.Prompt.Messages!, addGenerationPrompt: true, context).Text;
                }
                else
                {
                    ids = [.. tokenizer.TokenizeText(row.Prompt.Text!, "").PromptIds];
                    text = row.Prompt.Text!;
                }
                if (ids.Length == 0) throw new InvalidDataException("the prompt encodes to no tokens; generation needs at least one");
            }
            catch (Exception e) when (e is InvalidDataException or ChatTemplateException or ChatRoleOrderException)
            {
                throw new DataFormatException(row.Source.File, row.Source.Line, e.Message, "prompt", e);
            }
            if (maxPromptLength is int max && ids.Length > max)
            {
                ids = ids[^max..];
                truncated++;
            }
            prompts.Add(new RolloutPrompt(ids, text, row));
        }
        return new Loaded(prompts, truncated, prompts.Max(p => p.Ids.Count), otherColumns.ToArray());
    }
}
