using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>
/// The value of a text column: plain text (TRL's "standard" format) or a list of chat messages
/// (TRL's "conversational" format). Exactly one of <see cref="Text"/> and <see cref="Messages"/> is set.
/// </summary>
public sealed record RowContent
{
    RowContent(string? text, IReadOnlyList<ChatMessage>? messages)
    {
        Text = text;
        Messages = messages;
    }

    public string? Text { get; }

    public IReadOnlyList<ChatMessage>? Messages { get; }

    public bool IsConversational => Messages is not null;

    /// <summary>True when there is nothing in it: an empty string, no messages, or only empty messages.</summary>
    public bool IsEmpty => Messages is null ? Text!.Length == 0 : Messages.All(m => m.Content.Length == 0);

    public static RowContent FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    public static RowContent FromMessages(IReadOnlyList<ChatMessage> messages) =>
        new(null, messages ?? throw new ArgumentNullException(nameof(messages)));

    public bool Equals(RowContent? other) =>
        other is not null && Text == other.Text &&
        (Messages is null ? other.Messages is null : other.Messages is not null && Messages.SequenceEqual(other.Messages));

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? Messages!.Count;

    public override string ToString() =>
        Text ?? string.Join(" | ", Messages!.Select(m => $"{m.Role}: {m.Content}"));
}
