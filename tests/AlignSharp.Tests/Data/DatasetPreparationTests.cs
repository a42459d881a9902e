using AlignSharp.Data;
using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

public sealed class DatasetPreparationTests
{
    static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "data", "hh-with-problems.jsonl");
    static readonly PreparationOptions MaxLength40 = new(Truncation: new TruncationOptions(MaxLength: 40));
    readonly DatasetTokenizer _tokenizer = new(new ByteTokenizer());

    [Fact]
    public void EveryProblemInTheFileIsListedBeforeTrainingWithItsLine()
    {
        var error = Assert.Throws<DatasetValidationException>(() => DatasetPreparation.Prepare(Fixture, _tokenizer, MaxLength40));
        Assert.Equal(
        [
            $"{Fixture}:2: column \"rejected\": missing (the row has: chosen)",
            $"{Fixture}:3: chosen and rejected are identical",
            $"{Fixture}:4: chosen completion is empty",
            $"{Fixture}:6: chosen completion truncated away entirely (the prompt alone takes 40 tokens after truncation)",
            $"{Fixture}:6: rejected completion truncated away entirely (the prompt alone takes 40 tokens after truncation)",
        ], error.Problems.Select(p => p.ToString()));
        Assert.StartsWith($"{Fixture}: 5 problem(s) in 6 rows", error.Message);
    }

    [Fact]
    public void SkipInvalidKeepsTheGoodRowsAndLogsWhatWasDroppedAndTruncated()
    {
        PreparedDataset prepared = DatasetPreparation.Prepare(Fixture, _tokenizer, MaxLength40 with { SkipInvalid = true });
        Assert.Equal(DatasetFormat.ImplicitPromptPreference, prepared.Format);
        Assert.Equal([1L, 5L], prepared.Rows.Select(r => r.Source.Line));
        Assert.Equal([2L, 3L, 4L, 6L, 6L], prepared.Skipped.Select(p => p.Source.Line));

        // Line 1: BOS + "\n\nHuman: hi\n\nAssistant:" = 24 prompt tokens; " hello" + EOS = 7 completion tokens.
        var first = Assert.IsType<TokenizedPair>(prepared.Rows[0]);
        Assert.Equal((24, 7, 9), (first.Chosen.PromptLength, first.Chosen.CompletionLength, first.Rejected.CompletionLength));

        // Five pairs were tokenised (line 2 could not be read); only line 6 was cut, its prompt 62 → 40 tokens.
        Assert.Equal(new TruncationReport(Rows: 5, Sequences: 10, PromptsTruncated: 1, CompletionsTruncated: 2,
            CompletionsTruncatedAway: 2, PromptTokensRemoved: 22, CompletionTokensRemoved: 6), prepared.Truncation);
        IReadOnlyList<string> log = prepared.LogLines(maxShown: 2);
        Assert.Equal($"data: {Fixture}: ImplicitPromptPreference, 6 rows read, 2 used", log[0]);
        Assert.StartsWith("data: skipped 4 rows (--skip-invalid):", log[2]);
        Assert.EndsWith("... and 3 more", log[2]);
    }
}
