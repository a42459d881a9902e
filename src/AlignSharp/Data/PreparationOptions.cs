namespace AlignSharp.Data;

/// <summary>How <see cref="DatasetPreparation"/> reads, truncates and validates a dataset.</summary>
/// <param name="Format">The layout, or null to detect it from the columns.</param>
/// <param name="Truncation">max_length / max_prompt_length; null means none.</param>
/// <param name="SkipInvalid">--skip-invalid: drop problem rows (reported) instead of failing.</param>
/// <param name="MaxShown">How many problems are listed in full in an error or a log line.</param>
public sealed record PreparationOptions(
    DatasetFormat? Format = null,
    TruncationOptions? Truncation = null,
    bool SkipInvalid = false,
    int MaxShown = 20);
