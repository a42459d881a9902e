namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Qwen3's template (the hybrid thinking one) for conversations without tools. ChatML without a
/// default system message, plus its handling of reasoning:
/// <list type="bullet">
/// <item>An assistant message holding <c>&lt;/think&gt;</c> is split into reasoning (after the last
/// <c>&lt;think&gt;</c>, before the first <c>&lt;/think&gt;</c>) and answer (after the last <c>&lt;/think&gt;</c>).</item>
/// <item>Assistant turns before the last real user query lose their reasoning: only the answer is kept.</item>
/// <item>Assistant turns after it are written as <c>&lt;think&gt;\n{reasoning}\n&lt;/think&gt;\n\n{answer}</c>
/// when they have reasoning or are the last message, so a final answer without reasoning gets an
/// empty think block.</item>
/// <item>A user message wrapped in <c>&lt;tool_response&gt;…&lt;/tool_response&gt;</c> does not count as a query.</item>
/// <item>The generation prompt is <c>&lt;|im_start|&gt;assistant\n</c>, followed by an empty think block
/// when enable_thinking is false.</item>
/// </list>
/// The assistant span covers the think block too: the model generates it after the header.
/// </summary>
public sealed class Qwen3Template : IChatTemplate
{
    private const string EndOfTurn = "<|im_end|>";
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    public static Qwen3Template Instance { get; } = new();

    public string Name => "qwen3";

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        int lastQueryIndex = LastQueryIndex(messages);
        var chat = new ChatTextBuilder();
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i];
            if (message.Role != ChatMessage.AssistantRole)
            {
                chat.Append($"<|im_start|>{message.Role}\n{message.Content}{EndOfTurn}\n");
                continue;
            }
            (string answer, string reasoning) = SplitReasoning(message.Content);
            bool isLast = i == messages.Count - 1;
            bool keepsThinkBlock = i > lastQueryIndex && (isLast || reasoning.Length > 0);
            string body = keepsThinkBlock
                ? $"{ThinkOpen}\n{reasoning.Trim('\n')}\n{ThinkClose}\n\n{answer.TrimStart('\n')}"
                : answer;
            chat.Append("<|im_start|>assistant\n");
            chat.AppendAssistantOutput(body, EndOfTurn);
            chat.Append("\n");
        }
        if (addGenerationPrompt)
        {
            chat.Append("<|im_start|>assistant\n");
            if (context.EnableThinking == false)
                chat.Append($"{ThinkOpen}\n\n{ThinkClose}\n\n");
        }
        return chat.Build();
    }

    /// <summary>Index of the last user message that is a real query (not a tool response); the last index if none.</summary>
    private static int LastQueryIndex(IReadOnlyList<ChatMessage> messages)
    {
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            ChatMessage message = messages[i];
            bool isToolResponse = message.Content.StartsWith("<tool_response>", StringComparison.Ordinal)
                && message.Content.EndsWith("</tool_response>", StringComparison.Ordinal);
            if (message.Role == ChatMessage.UserRole && !isToolResponse)
                return i;
        }
        return messages.Count - 1;
    }

    /// <summary>The template's split of an assistant message into (answer, reasoning).</summary>
    private static (string Answer, string Reasoning) SplitReasoning(string content)
    {
        int firstClose = content.IndexOf(ThinkClose, StringComparison.Ordinal);
        if (firstClose < 0)
            return (content, "");
        int lastClose = content.LastIndexOf(ThinkClose, StringComparison.Ordinal);
        string answer = content[(lastClose + ThinkClose.Length)..].TrimStart('\n');
        string beforeClose = content[..firstClose].TrimEnd('\n');
        int lastOpen = beforeClose.LastIndexOf(ThinkOpen, StringComparison.Ordinal);
        string reasoning = (lastOpen < 0 ? beforeClose : beforeClose[(lastOpen + ThinkOpen.Length)..]).TrimStart('\n');
        return (answer, reasoning);
    }
}
