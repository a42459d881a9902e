namespace AlignSharp.Data;

/// <summary>
/// The whole path from a file to training rows, run before the first step (DESIGN.md pitfall 8):
/// read → tokenise → truncate → validate. Every problem in the file is gathered first (unreadable rows,
/// rows the template or tokenizer rejects, empty, identical or truncated-away completions, non-finite
/// rewards); then the run fails listing them all, or with skip-invalid drops those rows and reports them.
/// </summary>
public static class DatasetPreparation
{
    /// <exception cref="DatasetValidationException">Problems were found without skip-invalid, or no row is left.</exception>
    /// <exception cref="DataFormatException">The file cannot be read at all (missing, unknown type, no layout fits).</exception>
    public static PreparedDataset Prepare(string path, DatasetTokenizer tokenizer, PreparationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new PreparationOptions();

        LoadedDataset loaded = DatasetReader.Read(path, options.Format, skipInvalid: true);
        TokenizationResult tokenized = tokenizer.TokenizeAll(loaded.Rows, skipInvalid: true);
        TruncationResult truncated = SequenceTruncator.Truncate(tokenized.Rows, options.Truncation ?? TruncationOptions.None);

        var problems = new List<DatasetProblem>(loaded.Skipped.Concat(tokenized.Skipped));
        var kept = new List<TokenizedRow>(truncated.Rows.Count);
        foreach (TokenizedRow row in truncated.Rows)
        {
            IReadOnlyList<DatasetProblem> found = DatasetValidator.FindProblems(row);
            if (found.Count == 0) kept.Add(row);
            problems.AddRange(found);
        }
        DatasetProblem[] ordered = problems.OrderBy(p => p.Source.Line).ToArray(); // stable: a row's problems stay in order

        int rowsRead = loaded.Rows.Count + loaded.Skipped.Count;
        if (ordered.Length > 0 && !options.SkipInvalid)
            throw new DatasetValidationException(ordered, options.MaxShown,
                $"{path}: {ordered.Length} problem(s) in {rowsRead} rows, found before training (use --skip-invalid to drop these rows): " +
                DatasetValidationException.List(ordered, options.MaxShown));
        if (kept.Count == 0)
            throw new DatasetValidationException(ordered, options.MaxShown,
                $"{path}: no row is fit to train on ({rowsRead} rows read): " + DatasetValidationException.List(ordered, options.MaxShown));
        return new PreparedDataset(path, loaded.Format, kept, rowsRead, truncated.Report, ordered);
    }
}
