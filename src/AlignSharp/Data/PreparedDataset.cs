namespace AlignSharp.Data;

/// <summary>A dataset ready for training, with everything that happened to it on the way, for the log.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Format">The layout it was read as.</param>
/// <param name="Rows">The rows to train on: tokenised, truncated, validated.</param>
/// <param name="RowsRead">Non-blank lines (JSONL) or rows (Parquet) in the file, skipped ones included.</param>
/// <param name="Truncation">What truncation cut.</param>
/// <param name="Skipped">Every row dropped (only with skip-invalid) and why, in file order.</param>
public sealed record PreparedDataset(
    string Path,
    DatasetFormat Format,
    IReadOnlyList<TokenizedRow> Rows,
    int RowsRead,
    TruncationReport Truncation,
    IReadOnlyList<DatasetProblem> Skipped)
{
    /// <summary>What to print at the start of a run: layout and counts, truncation, skipped rows.</summary>
    public IReadOnlyList<string> LogLines(int maxShown = 5)
    {
        var lines = new List<string>
        {
            $"data: {Path}: {Format}, {RowsRead} rows read, {Rows.Count} used",
            Truncation.ToString(),
        };
        if (Skipped.Count > 0)
            lines.Add($"data: skipped {Skipped.Select(p => p.Source).Distinct().Count()} rows (--skip-invalid): " +
                      DatasetValidationException.List(Skipped, maxShown));
        return lines;
    }
}
