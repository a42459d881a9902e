namespace AlignSharp.Text.ChatTemplates;

/// <summary>A conversation or context a chat template cannot render.</summary>
public class ChatTemplateException(string message) : Exception(message);
