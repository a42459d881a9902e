namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// No built-in renderer is known to reproduce the model's chat template (or none was given):
/// AlignSharp refuses rather than build a silently wrong prompt.
/// </summary>
public sealed class ChatTemplateNotRecognizedException(string message) : ChatTemplateException(message);
