namespace AlignSharp.Data;

/// <summary>A preference pair: two sequences with the same prompt ids and different completions.</summary>
public sealed record TokenizedPair(RowSource Source, TokenizedSequence Chosen, TokenizedSequence Rejected) : TokenizedRow(Source)
{
    public override IReadOnlyList<TokenizedSequence> Sequences => [Chosen, Rejected];
}
