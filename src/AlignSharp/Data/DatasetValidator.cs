using System.Globalization;

namespace AlignSharp.Data;

/// <summary>
/// Checks the whole tokenised (and truncated) dataset before the first step (DESIGN.md pitfall 8):
/// empty completions, chosen identical to rejected, completions truncated away, sequences with nothing
/// to learn from, non-finite rewards, and an empty dataset. Every problem names its file and line.
/// </summary>
public static class DatasetValidator
{
    /// <exception cref="DatasetValidationException">Problems were found and <see cref="ValidationOptions.SkipInvalid"/> is off, or no row is left.</exception>
    public static ValidationResult Validate(IReadOnlyList<TokenizedRow> rows, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        options ??= new ValidationOptions();
        if (rows.Count == 0)
            throw new DatasetValidationException([], options.MaxShown, "the dataset is empty: there is nothing to train on");

        var problems = new List<DatasetProblem>();
        var kept = new List<TokenizedRow>(rows.Count);
        foreach (TokenizedRow row in rows)
        {
            IReadOnlyList<DatasetProblem> found = FindProblems(row);
            if (found.Count == 0) kept.Add(row);
            problems.AddRange(found);
        }
        if (problems.Count > 0 && !options.SkipInvalid)
            throw new DatasetValidationException(problems, options.MaxShown);
        if (kept.Count == 0)
            throw new DatasetValidationException(problems, options.MaxShown,
                $"every one of the {rows.Count} rows has a problem, nothing is left to train on: " + DatasetValidationException.List(problems, options.MaxShown));
        return new ValidationResult(kept, problems, rows.Count);
    }

    /// <summary>The problems of one row (none when it is fit to train on).</summary>
    public static IReadOnlyList<DatasetProblem> FindProblems(TokenizedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var problems = new List<DatasetProblem>();
        switch (row)
        {
            case TokenizedExample example:
                CheckSequence(row.Source, example.Sequence, "completion", problems);
                if (example.Reward is { } reward && !double.IsFinite(reward))
                    problems.Add(new DatasetProblem(row.Source, $"reward is {reward.ToString(CultureInfo.InvariantCulture)}, not a finite number"));
                break;
            case TokenizedPair pair:
                CheckSequence(row.Source, pair.Chosen, "chosen completion", problems);
                CheckSequence(row.Source, pair.Rejected, "rejected completion", problems);
                if (pair.Chosen.CompletionIds.SequenceEqual(pair.Rejected.CompletionIds) && !pair.Chosen.CompletionTruncatedAway)
                {
                    bool truncated = pair.Chosen.CompletionTokensTruncated + pair.Rejected.CompletionTokensTruncated > 0;
                    problems.Add(new DatasetProblem(row.Source, truncated
                        ? "chosen and rejected are identical after truncation (they differ only beyond max_length)"
                        : "chosen and rejected are identical"));
                }
                break;
        }
        return problems;
    }

    static void CheckSequence(RowSource source, TokenizedSequence sequence, string what, List<DatasetProblem> problems)
    {
        if (sequence.CompletionWasEmpty)
            problems.Add(new DatasetProblem(source, $"{what} is empty"));
        else if (sequence.CompletionTruncatedAway)
            problems.Add(new DatasetProblem(source,
                $"{what} truncated away entirely (the prompt alone takes {sequence.PromptLength} tokens after truncation)"));
        else if (sequence.LossTokenCount == 0)
            problems.Add(new DatasetProblem(source, $"{what} has no tokens to learn from (no assistant turn)"));
    }
}
