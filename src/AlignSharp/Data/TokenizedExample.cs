namespace AlignSharp.Data;

/// <summary>One sequence (SFT, or a scored completion with its <see cref="Reward"/>).</summary>
public sealed record TokenizedExample(RowSource Source, TokenizedSequence Sequence, double? Reward = null) : TokenizedRow(Source)
{
    public override IReadOnlyList<TokenizedSequence> Sequences => [Sequence];
}
