using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>A <c>messages</c> row: a whole conversation, trained on its assistant turns only.</summary>
public sealed record ConversationRow(RowSource Source, IReadOnlyList<ChatMessage> Messages) : DatasetRow(Source)
{
    public bool Equals(ConversationRow? other) =>
        other is not null && Source == other.Source && Messages.SequenceEqual(other.Messages);

    public override int GetHashCode() => HashCode.Combine(Source, Messages.Count);
}
