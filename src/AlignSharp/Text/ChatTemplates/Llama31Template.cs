using System.Globalization;

namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// Llama 3.1 and 3.2 Instruct (without tools): like Llama 3, but always opens with a system block
/// <c>Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n{system message|trim}</c>, even when
/// the conversation has no system message. The date defaults as each template does: 3.1 to
/// "26 Jul 2024"; 3.2 to today (strftime_now("%d %b %Y"), which transformers provides), so pass
/// <see cref="ChatTemplateContext.DateString"/> for reproducible 3.2 prompts.
/// </summary>
public sealed class Llama31Template : IChatTemplate
{
    /// <summary>The default date_string of Llama 3.1's template.</summary>
    public const string Llama31DefaultDate = "26 Jul 2024";

    private readonly bool _dateDefaultsToToday;

    private Llama31Template(string name, bool dateDefaultsToToday)
    {
        Name = name;
        _dateDefaultsToToday = dateDefaultsToToday;
    }

    public static Llama31Template Llama31 { get; } = new("llama3.1", dateDefaultsToToday: false);

    public static Llama31Template Llama32 { get; } = new("llama3.2", dateDefaultsToToday: true);

    public string Name { get; }

    /// <summary>The date written when the context gives none.</summary>
    public string DefaultDateString() =>
        _dateDefaultsToToday ? DateTime.Now.ToString("dd MMM yyyy", CultureInfo.InvariantCulture) : Llama31DefaultDate;

    public RenderedChat Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, ChatTemplateContext context)
    {
        ConversationRules.RequireStandardRoles(Name, messages);
        bool hasSystem = messages[0].Role == ChatMessage.SystemRole;
        string systemMessage = hasSystem ? messages[0].Content.Trim() : "";
        string date = context.DateString ?? DefaultDateString();

        var chat = new ChatTextBuilder();
        chat.Append(ConversationRules.RequireBos(Name, context));
        chat.Append(Llama3Template.Header(ChatMessage.SystemRole));
        chat.Append($"Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n{systemMessage}{Llama3Template.EndOfTurn}");
        for (int i = hasSystem ? 1 : 0; i < messages.Count; i++)
            Llama3Template.AppendMessage(chat, messages[i]);
        if (addGenerationPrompt)
            chat.Append(Llama3Template.Header(ChatMessage.AssistantRole));
        return chat.Build();
    }
}
