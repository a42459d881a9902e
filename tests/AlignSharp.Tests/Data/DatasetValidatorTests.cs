using AlignSharp.Data;

namespace AlignSharp.Tests.Data;

public sealed class DatasetValidatorTests
{
    static TokenizedSequence Sequence(int[] prompt, int[] completion, bool empty = false) => new(
        [.. prompt, .. completion], [.. prompt.Select(_ => false), .. completion.Select(_ => true)], prompt.Length, empty);

    static RowSource Line(long line) => new("d.jsonl", line);

    static readonly TokenizedRow[] Rows =
    [
        new TokenizedExample(Line(1), Sequence([1, 2], [3, 9])),
        new TokenizedExample(Line(2), Sequence([1, 2], [9], empty: true)),
        new TokenizedPair(Line(3), Sequence([1], [4, 9]), Sequence([1], [4, 9])),
        new TokenizedExample(Line(4), SequenceTruncator.Truncate(Sequence([1, 2, 3], [4, 9]), new TruncationOptions(MaxLength: 3))),
        new TokenizedExample(Line(5), Sequence([1], [5, 9]), Reward: double.NaN),
        new TokenizedExample(Line(6), Sequence([1], [5, 9]), Reward: 2.0),
        new TokenizedExample(Line(7), new TokenizedSequence([1, 2], [false, false], 2)),
        new TokenizedPair(Line(8), Sequence([1], [4, 9]), Sequence([1], [5, 9])),
    ];

    [Fact]
    public void ByDefaultEveryProblemIsListedWithItsLineAndTheRunFails()
    {
        var error = Assert.Throws<DatasetValidationException>(() => DatasetValidator.Validate(Rows));
        Assert.Equal(
        [
            "d.jsonl:2: completion is empty",
            "d.jsonl:3: chosen and rejected are identical",
            "d.jsonl:4: completion truncated away entirely (the prompt alone takes 3 tokens after truncation)",
            "d.jsonl:5: reward is NaN, not a finite number",
            "d.jsonl:7: completion has no tokens to learn from (no assistant turn)",
        ], error.Problems.Select(p => p.ToString()));
        Assert.StartsWith("5 dataset problem(s) found before training", error.Message);
        Assert.Contains("\n  d.jsonl:4: completion truncated away", error.Message);
        Assert.Contains("--skip-invalid", error.Message);
    }

    [Fact]
    public void OnlyTheFirstFewAreShownInFullThenACount()
    {
        var error = Assert.Throws<DatasetValidationException>(() => DatasetValidator.Validate(Rows, new ValidationOptions(MaxShown: 2)));
        Assert.Contains("d.jsonl:3:", error.Message);
        Assert.DoesNotContain("d.jsonl:4:", error.Message);
        Assert.EndsWith("\n  ... and 3 more", error.Message);
        Assert.Equal(5, error.Problems.Count);
    }

    [Fact]
    public void SkipInvalidDropsTheProblemRowsAndReportsThem()
    {
        ValidationResult result = DatasetValidator.Validate(Rows, new ValidationOptions(SkipInvalid: true));
        Assert.Equal([1L, 6L, 8L], result.Rows.Select(r => r.Source.Line));
        Assert.Equal([2L, 3L, 4L, 5L, 7L], result.Skipped.Select(p => p.Source.Line));
        string log = result.Describe(maxShown: 2);
        Assert.StartsWith("validation: skipped 5 of 8 rows with problems:", log);
        Assert.EndsWith("... and 3 more", log);
    }

    [Fact]
    public void PairsIdenticalOnlyAfterTruncationSaySo()
    {
        var cut = new TruncationOptions(MaxLength: 2);
        var pair = new TokenizedPair(Line(9),
            SequenceTruncator.Truncate(Sequence([1], [4, 5, 9]), cut), SequenceTruncator.Truncate(Sequence([1], [4, 6, 9]), cut));
        var error = Assert.Throws<DatasetValidationException>(() => DatasetValidator.Validate([pair]));
        Assert.Equal("d.jsonl:9: chosen and rejected are identical after truncation (they differ only beyond max_length)", Assert.Single(error.Problems).ToString());
    }

    [Fact]
    public void AnEmptyDatasetOrOneWithNothingLeftFails()
    {
        Assert.Contains("empty", Assert.Throws<DatasetValidationException>(() => DatasetValidator.Validate([])).Message);
        var error = Assert.Throws<DatasetValidationException>(() => DatasetValidator.Validate([Rows[1]], new ValidationOptions(SkipInvalid: true)));
        Assert.Contains("nothing is left to train on", error.Message);
    }

    [Fact]
    public void ACleanDatasetPassesUnchanged()
    {
        ValidationResult result = DatasetValidator.Validate([Rows[0], Rows[7]]);
        Assert.Equal([Rows[0], Rows[7]], result.Rows);
        Assert.Equal("validation: all 2 rows fit to train on", result.Describe());
    }
}
