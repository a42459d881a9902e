namespace AlignSharp.Data;

/// <summary>The rows fit to train on, and every problem found (the rows behind them were skipped).</summary>
public sealed record ValidationResult(IReadOnlyList<TokenizedRow> Rows, IReadOnlyList<DatasetProblem> Skipped, int RowsChecked)
{
    /// <summary>A line for the log: how many rows were skipped and where the first few are.</summary>
    public string Describe(int maxShown = 5) => Skipped.Count == 0
        ? $"validation: all {RowsChecked} rows fit to train on"
        : $"validation: skipped {Skipped.Select(p => p.Source).Distinct().Count()} of {RowsChecked} rows with problems: " +
          DatasetValidationException.List(Skipped, maxShown);
}
