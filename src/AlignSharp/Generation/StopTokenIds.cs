using System.Text.Json;
using AlignSharp.Modeling;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Generation;

/// <summary>
/// Every token id a model folder's generations must stop at, from every place Hugging Face keeps one:
/// <c>eos_token_id</c> of config.json and of generation_config.json (each a number or a list), the tokenizer's
/// EOS, and the chat template's end-of-turn marker (<c>&lt;|im_end|&gt;</c>, <c>&lt;|eot_id|&gt;</c>) when it is
/// one token. A chat model trained on messages ends its turn with the marker, not with EOS (DESIGN.md pitfall 5).
/// </summary>
public static class StopTokenIds
{
    /// <summary>The ids, ascending, without duplicates.</summary>
    public static IReadOnlyList<int> For(ModelFolder folder, IChatTemplate? template = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var ids = new SortedSet<int>(folder.Model.Config.EosTokenIds);
        foreach (int id in GenerationConfigEosIds(folder.Path)) ids.Add(id);
        ITokenizer tokenizer = folder.Tokenizer.Tokenizer;
        if (tokenizer.EosTokenId is int eos) ids.Add(eos);
        if (template is not null && EndOfTurnId(template, tokenizer, folder.ChatContext) is int endOfTurn) ids.Add(endOfTurn);
        ids.RemoveWhere(id => id < 0 || id >= folder.Model.Config.VocabSize);
        return ids.ToArray();
    }

    /// <summary>
    /// The template's end-of-turn marker as one id: what it writes after an assistant message's content, inside the
    /// assistant span. Null when the marker is not a single token (then EOS and stop strings are what stop a row).
    /// </summary>
    public static int? EndOfTurnId(IChatTemplate template, ITokenizer tokenizer, ChatTemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tokenizer);
        const string content = "x";
        RenderedChat chat = template.Render([ChatMessage.User("hi"), ChatMessage.Assistant(content)], addGenerationPrompt: false, context);
        if (chat.AssistantSpans.Count == 0) return null;
        string span = chat.AssistantText(0);
        int at = span.LastIndexOf(content, StringComparison.Ordinal);
        if (at < 0) return null;
        string marker = span[(at + content.Length)..].Trim();
        if (marker.Length == 0) return null;
        IReadOnlyList<int> encoded = tokenizer.Encode(marker, addSpecialTokens: false);
        return encoded.Count == 1 ? encoded[0] : null;
    }

    /// <summary><c>eos_token_id</c> of the folder's generation_config.json (a number or a list); none when the file or key is absent.</summary>
    public static IReadOnlyList<int> GenerationConfigEosIds(string folder)
    {
        string path = Path.Combine(folder, PretrainedModels.GenerationConfigFileName);
        if (!File.Exists(path)) return [];
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("eos_token_id", out JsonElement value))
                return [];
            return value.ValueKind switch
            {
                JsonValueKind.Null => [],
                JsonValueKind.Number when value.TryGetInt32(out int id) => [id],
                JsonValueKind.Array => value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int id)
                    ? id
                    : throw new InvalidDataException($"{path}: eos_token_id holds {e}, expected token ids")).ToArray(),
                _ => throw new InvalidDataException($"{path}: eos_token_id is {value}, expected a token id or a list of them"),
            };
        }
    }
}
