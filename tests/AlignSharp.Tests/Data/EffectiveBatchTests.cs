using AlignSharp.Data;

namespace AlignSharp.Tests.Data;

public sealed class EffectiveBatchTests
{
    static TokenizedSequence Sequence(int prompt, int completion) => new(
        new int[prompt + completion], Enumerable.Range(0, prompt + completion).Select(i => i >= prompt).ToArray(), prompt);

    [Fact]
    public void PairsCountTwoSequencesAndTokensAreMeansTimesRowsPerStep()
    {
        var here = new RowSource("p.jsonl", 1);
        TokenizedRow[] rows =
        [
            new TokenizedPair(here, Sequence(4, 2), Sequence(4, 4)),   // 14 tokens, 6 in the loss
            new TokenizedPair(here, Sequence(2, 2), Sequence(2, 4)),   // 10 tokens, 6 in the loss
            new TokenizedPair(here, Sequence(3, 3), Sequence(3, 3)),   // 12 tokens, 6 in the loss
        ];
        EffectiveBatchSummary summary = EffectiveBatch.Summarize(rows, rowsPerMicroBatch: 2, gradientAccumulationSteps: 4);
        Assert.Equal(new EffectiveBatchSummary(2, 4, RowsPerStep: 8, SequencesPerStep: 16, TokensPerStep: 96, LossTokensPerStep: 48,
            LongestSequence: 8, OptimizerStepsPerEpoch: 1), summary);
        Assert.Equal(
            "effective batch: 8 rows = 16 sequences per optimizer step (2 per micro-batch × 4 accumulation steps), " +
            "~96 tokens (~48 in the loss) per step, longest sequence 8 tokens, 1 optimizer steps per epoch",
            summary.ToString());
    }
}
