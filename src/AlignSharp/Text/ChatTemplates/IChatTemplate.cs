namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// A built-in renderer reproducing one family of Hugging Face chat templates for plain
/// conversations (system/user/assistant text; no tools, no images).
/// </summary>
public interface IChatTemplate
{
    /// <summary>The name <see cref="ChatTemplateRegistry.ByName"/> knows this renderer by, e.g. "qwen3".</summary>
    string Name { get; }

    /// <summary>
    /// Renders <paramref name="messages"/> as the real template would with
    /// add_generation_prompt = <paramref name="addGenerationPrompt"/>.
    /// </summary>
    /// <exception cref="ChatRoleOrderException">A role or role order the real template rejects (or would silently drop).</exception>
    /// <exception cref="ChatTemplateException">A special token the template writes is missing from <paramref name="context"/>.</exception>
    RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context);
}
