namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// ChatML: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message. Qwen1.5, Qwen2 and
/// Qwen2.5 are ChatML whose template inserts a default system message when the conversation does
/// not start with one; plain ChatML (our from-scratch models, Dolphin, ...) has none.
/// </summary>
public sealed class ChatMlTemplate(string name, string? defaultSystemMessage) : IChatTemplate
{
    private const string EndOfTurn = "<|im_end|>";

    /// <summary>Plain ChatML, no default system message.</summary>
    public static ChatMlTemplate Plain { get; } = new("chatml", null);

    /// <summary>Qwen1.5-Chat: note the default lacks the final period.</summary>
    public static ChatMlTemplate Qwen15 { get; } = new("qwen1.5", "You are a helpful assistant");

    /// <summary>Qwen2-Instruct.</summary>
    public static ChatMlTemplate Qwen2 { get; } = new("qwen2", "You are a helpful assistant.");

    /// <summary>Qwen2.5-Instruct (without tools).</summary>
    public static ChatMlTemplate Qwen25 { get; } = new("qwen2.5", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.");

    /// <summary>
    /// The Jinja source of plain ChatML, as Hugging Face documents it; written into the
    /// tokenizer_config.json of models made from scratch so that transformers renders the same prompts.
    /// </summary>
    public const string PlainJinja =
        "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
        + "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    public string Name { get; } = name;

    /// <summary>The system message the template writes when the first message is not a system one.</summary>
    public string? DefaultSystemMessage { get; } = defaultSystemMessage;

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        var chat = new ChatTextBuilder();
        if (DefaultSystemMessage is not null && messages[0].Role != ChatMessage.SystemRole)
            chat.Append($"<|im_start|>system\n{DefaultSystemMessage}{EndOfTurn}\n");
        foreach (ChatMessage message in messages)
        {
            chat.Append($"<|im_start|>{message.Role}\n");
            if (message.Role == ChatMessage.AssistantRole)
                chat.AppendAssistantOutput(message.Content, EndOfTurn);
            else
                chat.Append(message.Content + EndOfTurn);
            chat.Append("\n");
        }
        if (addGenerationPrompt)
            chat.Append("<|im_start|>assistant\n");
        return chat.Build();
    }
}
