namespace AlignSharp.Text.ChatTemplates;

/// <summary>A message role, or order of roles, that the chat template does not accept.</summary>
public sealed class ChatRoleOrderException(string message) : ChatTemplateException(message);
