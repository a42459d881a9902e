using System.Text.Json;

namespace AlignSharp.Data;

/// <summary>
/// A prompt-only row (online methods sample the completions): the prompt, plain text or messages, and the whole row
/// as read, so a reward can use another column (an answer to check against) as TRL passes every column to its rewards.
/// </summary>
public sealed record PromptRow(RowSource Source, RowContent Prompt, JsonElement Columns) : DatasetRow(Source)
{
    /// <summary>A column's value as text (strings as they are, other JSON as its raw text); null when the row lacks it.</summary>
    public string? Column(string name) =>
        Columns.ValueKind == JsonValueKind.Object && Columns.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
