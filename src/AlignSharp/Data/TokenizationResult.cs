namespace AlignSharp.Data;

/// <summary>The tokenised rows, and those skipped because they could not be tokenised (only with skip-invalid).</summary>
public sealed record TokenizationResult(IReadOnlyList<TokenizedRow> Rows, IReadOnlyList<DatasetProblem> Skipped);
