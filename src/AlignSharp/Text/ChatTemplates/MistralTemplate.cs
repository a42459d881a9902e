namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Mistral's <c>[INST]</c> format. The tokenizer generations differ in spacing and in where the
/// system message goes (it is prepended to one user turn, separated by a blank line):
/// <list type="table">
/// <item><term>mistral-v1</term><description>Mixtral-8x7B / Mistral-7B v0.1–v0.2 era: <c>&lt;s&gt; [INST] user [/INST] answer&lt;/s&gt;</c>, system in the first user turn.</description></item>
/// <item><term>mistral-v3</term><description>Mixtral-8x22B: <c>&lt;s&gt;[INST] user[/INST] answer&lt;/s&gt;</c>, system in the last user turn.</description></item>
/// <item><term>mistral-v3-tekken</term><description>Mistral-Nemo: <c>&lt;s&gt;[INST]user[/INST]answer&lt;/s&gt;</c>, system in the last user turn.</description></item>
/// </list>
/// "Last user turn" is the real templates' rule: a conversation ending with an assistant message
/// (a training example) has no user message in last position, so the real template drops its system
/// message; this renderer raises a <see cref="ChatTemplateException"/> instead (nothing is dropped silently).
/// Roles must alternate after an optional system message; there is no generation prompt.
/// </summary>
public sealed class MistralTemplate : IChatTemplate
{
    private readonly string _instOpen;
    private readonly string _instClose;
    private readonly string _beforeAnswer;
    private readonly bool _systemInLastUserTurn;

    private MistralTemplate(string name, string instOpen, string instClose, string beforeAnswer, bool systemInLastUserTurn)
    {
        Name = name;
        _instOpen = instOpen;
        _instClose = instClose;
        _beforeAnswer = beforeAnswer;
        _systemInLastUserTurn = systemInLastUserTurn;
    }

    public static MistralTemplate V1 { get; } = new("mistral-v1", " [INST] ", " [/INST]", " ", systemInLastUserTurn: false);

    public static MistralTemplate V3 { get; } = new("mistral-v3", "[INST] ", "[/INST]", " ", systemInLastUserTurn: true);

    public static MistralTemplate V3Tekken { get; } = new("mistral-v3-tekken", "[INST]", "[/INST]", "", systemInLastUserTurn: true);

    public string Name { get; }

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        ConversationRules.RequireAlternation(Name, messages);
        string bos = ConversationRules.RequireBos(Name, context);
        string eos = ConversationRules.RequireEos(Name, context);
        bool hasSystem = messages[0].Role == ChatMessage.SystemRole;
        int first = hasSystem ? 1 : 0;
        // The real v3 templates put the system message into the LAST user turn; a conversation ending with the
        // assistant (every training example) has none there, and they drop it without a word. We refuse instead.
        if (hasSystem && _systemInLastUserTurn && messages[^1].Role != ChatMessage.UserRole)
            throw new ChatTemplateException(
                $"{Name}: the real template writes the system message into the last user turn, and this conversation ends " +
                "with an assistant message, so the system message would be silently dropped; fold it into a user turn instead");

        var chat = new ChatTextBuilder();
        chat.Append(bos);
        for (int i = first; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            if (message.Role == ChatMessage.UserRole)
            {
                bool systemGoesHere = hasSystem && (_systemInLastUserTurn ? i == messages.Count - 1 : i == first);
                string content = systemGoesHere ? $"{messages[0].Content}\n\n{message.Content}" : message.Content;
                chat.Append(_instOpen + content + _instClose);
            }
            else
            {
                chat.Append(_beforeAnswer);
                chat.AppendAssistantOutput(message.Content, eos);
            }
        }
        return chat.Build();
    }
}
