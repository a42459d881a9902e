namespace AlignSharp.Data;

/// <summary>A dataset row turned into token sequences, with where it came from.</summary>
public abstract record TokenizedRow(RowSource Source)
{
    /// <summary>The sequences of this row (one, or chosen then rejected).</summary>
    public abstract IReadOnlyList<TokenizedSequence> Sequences { get; }
}
