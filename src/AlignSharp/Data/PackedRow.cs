namespace AlignSharp.Data;

/// <summary>
/// Several documents laid end to end in one row of at most max_length tokens (SFT packing). The model runs
/// the row with per-document attention and positions, so each document is scored as if it were alone.
/// </summary>
/// <param name="Documents">The documents in row order.</param>
/// <param name="Indices">Each document's index in the list that was packed.</param>
public sealed record PackedRow(IReadOnlyList<TokenizedSequence> Documents, IReadOnlyList<int> Indices)
{
    /// <summary>Tokens in the row (no padding).</summary>
    public int Length => Documents.Sum(d => d.Length);

    /// <summary>
    /// Trained target tokens: each document's loss tokens except its first token, which in a packed row would be
    /// predicted from the previous document (and which nothing predicts when the document runs alone).
    /// </summary>
    public int TargetCount => Documents.Sum(d => d.LossMask.Skip(1).Count(m => m));
}
