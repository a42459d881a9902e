using AlignSharp.Data;

namespace AlignSharp.Tasks;

/// <summary>
/// Writes task data as JSONL in TRL's column layout, atomically (a temporary file renamed on success):
/// <c>{prompt, completion}</c>, <c>{prompt, chosen, rejected}</c>, <c>{prompt}</c>, <c>{prompt, completion, reward}</c>.
/// </summary>
public static class TaskDataFiles
{
    public static void WriteSft(string path, IEnumerable<SftExample> rows) => WriteRows(path, rows);

    public static void WritePreferencePairs(string path, IEnumerable<PreferencePair> rows) => WriteRows(path, rows);

    public static void WriteScored(string path, IEnumerable<ScoredExample> rows) => WriteRows(path, rows);

    public static void WritePrompts(string path, IEnumerable<string> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        WriteRows(path, prompts.Select(prompt => new PromptRow(prompt)));
    }

    static void WriteRows<T>(string path, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new JsonlWriter(path);
        foreach (T row in rows) writer.Write(row);
        writer.Commit();
    }

    sealed record PromptRow([property: System.Text.Json.Serialization.JsonPropertyName("prompt")] string Prompt);
}
