using System.Globalization;

namespace AlignSharp.Data;

/// <summary>What <see cref="SequencePacker.Pack"/> made of a list of documents.</summary>
/// <param name="Rows">The packed rows; every document appears in exactly one.</param>
/// <param name="MaxLength">The row capacity in tokens (max_length).</param>
/// <param name="Documents">Documents packed.</param>
public sealed record PackingResult(IReadOnlyList<PackedRow> Rows, int MaxLength, int Documents)
{
    /// <summary>Tokens over all rows (padding excluded).</summary>
    public long Tokens => Rows.Sum(r => (long)r.Length);

    /// <summary>Share of the rows' capacity (rows × max_length) filled by real tokens rather than padding.</summary>
    public double Efficiency => Rows.Count == 0 ? 1.0 : (double)Tokens / ((long)Rows.Count * MaxLength);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"packing: {Documents} documents into {Rows.Count} rows of at most {MaxLength} tokens (first-fit decreasing), " +
        $"{Tokens} tokens, efficiency {100 * Efficiency:F1}% (non-padding share of rows × max_length)");
}
