using System.Globalization;
using System.Text.Json;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>
/// Turns one raw row (a JSON object, from JSONL or converted from Parquet) into the typed row of a layout,
/// or a <see cref="DataFormatException"/> naming file, line and column.
/// </summary>
internal sealed class RowParser(DatasetFormat format, IReadOnlyDictionary<string, string>? storedTypes)
{
    public DatasetRow Parse(JsonlRow row)
    {
        var source = new RowSource(row.File, row.Line);
        switch (format)
        {
            case DatasetFormat.PromptCompletion:
            {
                var (prompt, completion) = PromptAndCompletion(row);
                return new SftRow(source, prompt, completion);
            }
            case DatasetFormat.Messages:
                return new ConversationRow(source, Messages(row, "messages", Required(row, "messages")));
            case DatasetFormat.Preference:
            {
                RowContent prompt = Content(row, "prompt");
                RowContent chosen = Content(row, "chosen");
                RowContent rejected = Content(row, "rejected");
                RequireSameKind(row, "chosen", prompt, chosen);
                RequireSameKind(row, "rejected", prompt, rejected);
                return new PreferenceRow(source, prompt, chosen, rejected);
            }
            case DatasetFormat.ImplicitPromptPreference:
                return ImplicitPrompt(row, source);
            case DatasetFormat.Scored:
            {
                var (prompt, completion) = PromptAndCompletion(row);
                string column = row.Has("reward") ? "reward" : "score";
                return new ScoredRow(source, prompt, completion, Reward(row, column));
            }
            case DatasetFormat.PromptOnly:
                return new PromptRow(source, Content(row, "prompt"), row.Value.Clone());
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    (RowContent Prompt, RowContent Completion) PromptAndCompletion(JsonlRow row)
    {
        RowContent prompt = Content(row, "prompt");
        RowContent completion = Content(row, "completion");
        RequireSameKind(row, "completion", prompt, completion);
        return (prompt, completion);
    }

    PreferenceRow ImplicitPrompt(JsonlRow row, RowSource source)
    {
        RowContent chosen = Content(row, "chosen");
        RowContent rejected = Content(row, "rejected");
        RequireSameKind(row, "rejected", chosen, rejected);
        if (!chosen.IsConversational)
        {
            if (!HhTranscript.TrySplit(chosen.Text!, out string chosenPrompt, out string chosenReply))
                throw new DataFormatException(row.File, row.Line, $"an implicit-prompt transcript must contain \"{Escape(HhTranscript.AssistantMarker)}\"", "chosen");
            if (!HhTranscript.TrySplit(rejected.Text!, out string rejectedPrompt, out string rejectedReply))
                throw new DataFormatException(row.File, row.Line, $"an implicit-prompt transcript must contain \"{Escape(HhTranscript.AssistantMarker)}\"", "rejected");
            if (chosenPrompt != rejectedPrompt)
                throw new DataFormatException(row.File, row.Line,
                    $"chosen and rejected differ before their last \"{Escape(HhTranscript.AssistantMarker)}\", so they share no prompt", "rejected");
            return new PreferenceRow(source, RowContent.FromText(chosenPrompt), RowContent.FromText(chosenReply), RowContent.FromText(rejectedReply));
        }

        // TRL's extract_prompt: the prompt is the longest common prefix of the two conversations.
        IReadOnlyList<ChatMessage> a = chosen.Messages!, b = rejected.Messages!;
        int shared = 0;
        while (shared < a.Count && shared < b.Count && a[shared] == b[shared]) shared++;
        if (shared == a.Count || shared == b.Count) shared = Math.Min(a.Count, b.Count) - 1; // one contains the other: keep a reply on each side
        if (shared <= 0)
            throw new DataFormatException(row.File, row.Line, "chosen and rejected share no leading messages, so there is no prompt to split off", "rejected");
        return new PreferenceRow(source,
            RowContent.FromMessages(a.Take(shared).ToArray()),
            RowContent.FromMessages(a.Skip(shared).ToArray()),
            RowContent.FromMessages(b.Skip(shared).ToArray()));
    }

    JsonElement Required(JsonlRow row, string column)
    {
        if (!row.Value.TryGetProperty(column, out JsonElement value))
            throw new DataFormatException(row.File, row.Line, $"missing (the row has: {string.Join(", ", row.ColumnNames())})", column);
        if (value.ValueKind == JsonValueKind.Null)
            throw new DataFormatException(row.File, row.Line, "is null", column);
        return value;
    }

    RowContent Content(JsonlRow row, string column)
    {
        JsonElement value = Required(row, column);
        return value.ValueKind switch
        {
            JsonValueKind.String => RowContent.FromText(value.GetString()!),
            JsonValueKind.Array => RowContent.FromMessages(Messages(row, column, value)),
            _ => throw WrongType(row, column, value, "a string or a list of {role, content} messages"),
        };
    }

    IReadOnlyList<ChatMessage> Messages(JsonlRow row, string column, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array) throw WrongType(row, column, value, "a list of {role, content} messages");
        var messages = new List<ChatMessage>();
        int index = 0;
        foreach (JsonElement message in value.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(row.File, row.Line, $"message {index}: expected an object with role and content, found {message.ValueKind}", column);
            messages.Add(new ChatMessage(MessageString(row, column, index, message, "role"), MessageString(row, column, index, message, "content")));
            index++;
        }
        return messages;
    }

    static string MessageString(JsonlRow row, string column, int index, JsonElement message, string field)
    {
        if (!message.TryGetProperty(field, out JsonElement value))
            throw new DataFormatException(row.File, row.Line, $"message {index}: missing \"{field}\"", column);
        if (value.ValueKind != JsonValueKind.String)
            throw new DataFormatException(row.File, row.Line, $"message {index}: \"{field}\" must be a string, found {value.ValueKind}", column);
        return value.GetString()!;
    }

    double Reward(JsonlRow row, string column)
    {
        JsonElement value = Required(row, column);
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        // Non-finite floats (from Parquet, or written as strings) are read here and reported by the validator.
        if (value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity")
            return double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
        throw WrongType(row, column, value, "a number");
    }

    static void RequireSameKind(JsonlRow row, string column, RowContent reference, RowContent content)
    {
        if (reference.IsConversational != content.IsConversational)
            throw new DataFormatException(row.File, row.Line,
                $"mixes plain text and message lists within one row; use strings for all text columns or message lists for all", column);
    }

    DataFormatException WrongType(JsonlRow row, string column, JsonElement value, string expected)
    {
        string stored = storedTypes is not null && storedTypes.TryGetValue(column, out string? type) ? $" (Parquet column type {type})" : "";
        return new DataFormatException(row.File, row.Line, $"expected {expected}, found {value.ValueKind}{stored}", column);
    }

    static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}
