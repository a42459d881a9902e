namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Meta-Llama-3-Instruct: BOS, then <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n{content|trim}&lt;|eot_id|&gt;</c>
/// per message. Follows the fixed template (the assistant header only with add_generation_prompt);
/// the first published one appended it always.
/// </summary>
public sealed class Llama3Template : IChatTemplate
{
    internal const string EndOfTurn = "<|eot_id|>";

    public static Llama3Template Instance { get; } = new();

    public string Name => "llama3";

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        var chat = new ChatTextBuilder();
        chat.Append(ConversationRules.RequireBos(Name, context));
        foreach (ChatMessage message in messages)
            AppendMessage(chat, message);
        if (addGenerationPrompt)
            chat.Append(Header(ChatMessage.AssistantRole));
        return chat.Build();
    }

    internal static string Header(string role) => $"<|start_header_id|>{role}<|end_header_id|>\n\n";

    /// <summary>One message as both Llama 3 and 3.1 write it: content trimmed (Jinja's trim, i.e. Python's strip()).</summary>
    internal static void AppendMessage(ChatTextBuilder chat, ChatMessage message)
    {
        chat.Append(Header(message.Role));
        if (message.Role == ChatMessage.AssistantRole)
            chat.AppendAssistantOutput(message.Content.Trim(), EndOfTurn);
        else
            chat.Append(message.Content.Trim() + EndOfTurn);
    }
}
