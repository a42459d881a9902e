using System.Text.Json;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Text.ChatTemplates;

/// <summary>
/// One rendering of a real chat template by @huggingface/jinja, from
/// tests/fixtures/chat_templates/golden.json (written by make_golden.mjs).
/// </summary>
public sealed record GoldenCase(
    int Index,
    string TemplateFile,
    string TemplateSha256,
    string Family,
    string Conversation,
    IReadOnlyList<ChatMessage> Messages,
    bool AddGenerationPrompt,
    ChatTemplateContext Context,
    string? Output,
    string? Error)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "chat_templates");

    private static readonly Lazy<IReadOnlyList<GoldenCase>> Loaded = new(Load);

    public static IReadOnlyList<GoldenCase> All => Loaded.Value;

    /// <summary>
    /// The real Mistral v3 templates write the system message into the last user turn and so drop it from a
    /// conversation that ends with the assistant; our renderer refuses such a conversation instead.
    /// </summary>
    public bool TemplateDropsSystemMessage =>
        Error is null && Family is "mistral-v3" or "mistral-v3-tekken"
        && Messages[0].Role == ChatMessage.SystemRole && Messages[^1].Role != ChatMessage.UserRole;

    public override string ToString() => $"{TemplateFile}/{Conversation}/gen={AddGenerationPrompt}/{Context}";

    private static IReadOnlyList<GoldenCase> Load()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden.json")));
        var cases = new List<GoldenCase>();
        foreach (JsonElement entry in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            JsonElement variables = entry.GetProperty("variables");
            var context = new ChatTemplateContext(
                StringOrNull(entry.GetProperty("bos_token")),
                StringOrNull(entry.GetProperty("eos_token")),
                variables.TryGetProperty("date_string", out JsonElement date) ? date.GetString() : null,
                variables.TryGetProperty("enable_thinking", out JsonElement thinking) ? thinking.GetBoolean() : null);
            ChatMessage[] messages = entry.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
                .ToArray();
            cases.Add(new GoldenCase(
                cases.Count,
                entry.GetProperty("template").GetString()!,
                entry.GetProperty("template_sha256").GetString()!,
                entry.GetProperty("family").GetString()!,
                entry.GetProperty("conversation").GetString()!,
                messages,
                entry.GetProperty("add_generation_prompt").GetBoolean(),
                context,
                entry.TryGetProperty("output", out JsonElement output) ? output.GetString() : null,
                entry.TryGetProperty("error", out JsonElement error) ? error.GetString() : null));
        }
        return cases;
    }

    private static string? StringOrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}
