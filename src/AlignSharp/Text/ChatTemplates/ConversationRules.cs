namespace AlignSharp.Text.ChatTemplates;

/// <summary>Checks shared by the renderers, with errors that say which message is wrong and why.</summary>
internal static class ConversationRules
{
    /// <summary>
    /// Every role must be system, user or assistant: the real templates either reject other roles
    /// or treat them (tools, ipython) in ways the built-in renderers do not reproduce.
    /// </summary>
    public static void RequireStandardRoles(string templateName, IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
            throw new ArgumentException($"Chat template '{templateName}': the conversation has no messages.", nameof(messages));
        for (int i = 0; i < messages.Count; i++)
        {
            ChatMessage message = messages[i] ?? throw new ArgumentException($"Chat template '{templateName}': message {i} is null.", nameof(messages));
            if (message.Role is not (ChatMessage.SystemRole or ChatMessage.UserRole or ChatMessage.AssistantRole))
                throw new ChatRoleOrderException(
                    $"Chat template '{templateName}': message {i} has role '{message.Role}'; supported roles are system, user and assistant.");
            if (message.Content is null)
                throw new ArgumentException($"Chat template '{templateName}': message {i} ({message.Role}) has null content.", nameof(messages));
        }
    }

    /// <summary>
    /// Llama 2 and Mistral: after an optional first system message, roles must go user, assistant,
    /// user, ... (the real templates raise "Conversation roles must alternate").
    /// </summary>
    public static void RequireAlternation(string templateName, IReadOnlyList<ChatMessage> messages)
    {
        int offset = messages[0].Role == ChatMessage.SystemRole ? 1 : 0;
        for (int i = offset; i < messages.Count; i++)
        {
            string expected = (i - offset) % 2 == 0 ? ChatMessage.UserRole : ChatMessage.AssistantRole;
            if (messages[i].Role != expected)
                throw new ChatRoleOrderException(
                    $"Chat template '{templateName}': after the optional first system message, roles must alternate " +
                    $"user/assistant/user/assistant/...; message {i} is '{messages[i].Role}' where '{expected}' was expected.");
        }
    }

    public static string RequireBos(string templateName, ChatTemplateContext context) =>
        context.BosToken ?? throw new ChatTemplateException(
            $"Chat template '{templateName}' writes the BOS token, but the context has none: pass the tokenizer's bos_token.");

    public static string RequireEos(string templateName, ChatTemplateContext context) =>
        context.EosToken ?? throw new ChatTemplateException(
            $"Chat template '{templateName}' ends assistant turns with the EOS token, but the context has none: pass the tokenizer's eos_token.");
}
