namespace AlignSharp.Text.ChatTemplates;

public static class ChatTemplateExtensions
{
    /// <summary>Only the text of <see cref="IChatTemplate.Render"/>, for showing a prompt or generating from it.</summary>
    public static string RenderText(this IChatTemplate template, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context) =>
        template.Render(messages, addGenerationPrompt, context).Text;
}
