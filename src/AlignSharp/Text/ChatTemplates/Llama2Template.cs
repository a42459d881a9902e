namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Llama-2-chat: <c>&lt;s&gt;[INST] {user|strip} [/INST] {assistant|strip} &lt;/s&gt;</c> per exchange, BOS
/// before every [INST], the system message wrapped in <c>&lt;&lt;SYS&gt;&gt;</c> inside the first user turn.
/// Roles must alternate after an optional system message. The template has no generation prompt
/// (a prompt ending in [/INST] is already one), so add_generation_prompt changes nothing.
/// </summary>
public sealed class Llama2Template : IChatTemplate
{
    public static Llama2Template Instance { get; } = new();

    public string Name => "llama2";

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        ConversationRules.RequireAlternation(Name, messages);
        string bos = ConversationRules.RequireBos(Name, context);
        string eos = ConversationRules.RequireEos(Name, context);
        bool hasSystem = messages[0].Role == ChatMessage.SystemRole;

        var chat = new ChatTextBuilder();
        for (int i = hasSystem ? 1 : 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            bool isFirstTurn = i == (hasSystem ? 1 : 0);
            // The template strips the joined system block and content together, not each part.
            string content = isFirstTurn && hasSystem
                ? $"<<SYS>>\n{messages[0].Content}\n<</SYS>>\n\n{message.Content}"
                : message.Content;
            if (message.Role == ChatMessage.UserRole)
            {
                chat.Append($"{bos}[INST] {content.Trim()} [/INST]");
            }
            else
            {
                chat.Append(" ");
                chat.AppendAssistantOutput(content.Trim() + " ", eos);
            }
        }
        return chat.Build();
    }
}
