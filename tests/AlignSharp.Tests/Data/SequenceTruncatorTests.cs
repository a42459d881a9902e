using AlignSharp.Data;

namespace AlignSharp.Tests.Data;

public sealed class SequenceTruncatorTests
{
    static readonly RowSource Here = new("t.jsonl", 1);

    // Prompt 1..6, completion 7..10 (all in the loss).
    static TokenizedSequence Sequence(int prompt = 6, int completion = 4) => new(
        Enumerable.Range(1, prompt + completion).ToArray(),
        Enumerable.Range(0, prompt + completion).Select(i => i >= prompt).ToArray(),
        prompt);

    [Fact]
    public void PromptsAreCutFromTheLeftKeepingTheirEnd()
    {
        TokenizedSequence cut = SequenceTruncator.Truncate(Sequence(), new TruncationOptions(MaxPromptLength: 4));
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10], cut.InputIds);
        Assert.Equal(4, cut.PromptLength);
        Assert.Equal(2, cut.PromptTokensTruncated);
        Assert.Equal([false, false, false, false, true, true, true, true], cut.LossMask);
    }

    [Fact]
    public void CompletionsAreCutFromTheRightToFitMaxLength()
    {
        TokenizedSequence cut = SequenceTruncator.Truncate(Sequence(), new TruncationOptions(MaxLength: 6, MaxPromptLength: 4));
        Assert.Equal([3, 4, 5, 6, 7, 8], cut.InputIds);
        Assert.Equal((2, 2), (cut.PromptTokensTruncated, cut.CompletionTokensTruncated));
        Assert.False(cut.CompletionTruncatedAway);
    }

    [Fact]
    public void APromptLongerThanMaxLengthLeavesNoCompletion()
    {
        TokenizedSequence cut = SequenceTruncator.Truncate(Sequence(), new TruncationOptions(MaxLength: 5));
        Assert.Equal([2, 3, 4, 5, 6], cut.InputIds);
        Assert.Equal(0, cut.LossTokenCount);
        Assert.True(cut.CompletionTruncatedAway);
    }

    [Fact]
    public void NothingHappensWithinTheLimits()
    {
        TokenizedSequence sequence = Sequence();
        Assert.Same(sequence, SequenceTruncator.Truncate(sequence, new TruncationOptions(MaxLength: 10, MaxPromptLength: 6)));
        Assert.Same(sequence, SequenceTruncator.Truncate(sequence, TruncationOptions.None));
    }

    [Fact]
    public void TheReportCountsPromptsPerRowAndCompletionsPerSequence()
    {
        TokenizedRow[] rows =
        [
            new TokenizedExample(Here, Sequence(prompt: 2, completion: 2)),   // untouched
            new TokenizedExample(Here, Sequence(prompt: 6, completion: 4)),   // prompt -2, completion -2
            new TokenizedPair(Here, Sequence(prompt: 5, completion: 1), Sequence(prompt: 5, completion: 3)), // prompt -1 (once), rejected -1
            new TokenizedExample(Here, Sequence(prompt: 4, completion: 9)),   // completion -7
        ];
        TruncationResult result = SequenceTruncator.Truncate(rows, new TruncationOptions(MaxLength: 6, MaxPromptLength: 4));
        Assert.Equal(new TruncationReport(Rows: 4, Sequences: 5, PromptsTruncated: 2, CompletionsTruncated: 3,
            CompletionsTruncatedAway: 0, PromptTokensRemoved: 3, CompletionTokensRemoved: 10), result.Report);
        Assert.Contains("2 of 4 prompts cut from the left (3 tokens)", result.Report.ToString());

        TruncationResult away = SequenceTruncator.Truncate(rows, new TruncationOptions(MaxLength: 4));
        // Prompts of 6, 5 (both sides of the pair) and 4 tokens leave no room: 4 completions gone.
        Assert.Equal(4, away.Report.CompletionsTruncatedAway);
    }

    [Fact]
    public void NonPositiveLimitsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceTruncator.Truncate(Sequence(), new TruncationOptions(MaxLength: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceTruncator.Truncate([], new TruncationOptions(MaxPromptLength: -1)));
    }
}
