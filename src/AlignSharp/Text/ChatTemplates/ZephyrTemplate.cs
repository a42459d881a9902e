namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Zephyr (HuggingFaceH4/zephyr-7b-beta, also TinyLlama-Chat): <c>&lt;|role|&gt;\n{content}&lt;/s&gt;\n</c>
/// per message, EOS after every turn, generation prompt <c>&lt;|assistant|&gt;\n</c>.
/// </summary>
public sealed class ZephyrTemplate : IChatTemplate
{
    public static ZephyrTemplate Instance { get; } = new();

    public string Name => "zephyr";

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        string eos = ConversationRules.RequireEos(Name, context);
        var chat = new ChatTextBuilder();
        foreach (ChatMessage message in messages)
        {
            chat.Append($"<|{message.Role}|>\n");
            if (message.Role == ChatMessage.AssistantRole)
                chat.AppendAssistantOutput(message.Content, eos);
            else
                chat.Append(message.Content + eos);
            chat.Append("\n");
        }
        if (addGenerationPrompt)
            chat.Append("<|assistant|>\n");
        return chat.Build();
    }
}
