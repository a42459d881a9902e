namespace AlignSharp.Data;

/// <summary>The truncated rows (in the same order) and the counts of what was cut.</summary>
public sealed record TruncationResult(IReadOnlyList<TokenizedRow> Rows, TruncationReport Report);
