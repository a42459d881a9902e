using AlignSharp.Data;
using AlignSharp.Text;
using TorchSharp;

namespace AlignSharp.Tests.Data;

public sealed class BatchCollatorTests
{
    static readonly RowSource Here = new("t.jsonl", 1);

    static TokenizedSequence Sequence(int[] prompt, int[] completion) => new(
        [.. prompt, .. completion], [.. prompt.Select(_ => false), .. completion.Select(_ => true)], prompt.Length);

    static long[] Row(torch.Tensor tensor, int row) => tensor[row].data<long>().ToArray();

    [Fact]
    public void SequencesAreRightPaddedWithPromptAndPaddingOutOfTheLoss()
    {
        using var scope = torch.NewDisposeScope();
        using SequenceBatch batch = BatchCollator.Collate([Sequence([1, 2], [3, 4]), Sequence([5], [6])], paddingId: 0);
        Assert.Equal([2L, 4L], batch.InputIds.shape);
        Assert.Equal([1L, 2, 3, 4], Row(batch.InputIds, 0));
        Assert.Equal([5L, 6, 0, 0], Row(batch.InputIds, 1));
        Assert.Equal([1L, 1, 0, 0], Row(batch.AttentionMask, 1));
        Assert.Equal([false, false, true, true, false, true, false, false], batch.LossMask.flatten().data<bool>().ToArray());
        Assert.Equal([-100L, -100, 3, 4], Row(batch.Labels, 0));
        Assert.Equal([-100L, 6, -100, -100], Row(batch.Labels, 1));
        Assert.Equal([4, 2], batch.Lengths);
        Assert.Equal([2, 1], batch.PromptLengths);
        Assert.Equal(torch.ScalarType.Int64, batch.InputIds.dtype);
    }

    [Fact]
    public void PairsArePaddedToOneCommonLength()
    {
        using var scope = torch.NewDisposeScope();
        var pairs = new[]
        {
            new TokenizedPair(Here, Sequence([1], [2]), Sequence([1], [3, 4, 5])),
            new TokenizedPair(Here, Sequence([7, 8], [9]), Sequence([7, 8], [10])),
        };
        using PreferenceBatch batch = BatchCollator.CollatePairs(pairs, paddingId: 99);
        Assert.Equal([2L, 4L], batch.Chosen.InputIds.shape);
        Assert.Equal([2L, 4L], batch.Rejected.InputIds.shape);
        Assert.Equal([1L, 2, 99, 99], Row(batch.Chosen.InputIds, 0));
        Assert.Equal([1L, 3, 4, 5], Row(batch.Rejected.InputIds, 0));
        Assert.Equal([-100L, -100, 10, -100], Row(batch.Rejected.Labels, 1));
    }

    [Fact]
    public void PaddingIdPrefersPadThenEos()
    {
        Assert.Equal(256, BatchCollator.PaddingId(new ByteTokenizer()));
    }

    [Fact]
    public void AnEmptyBatchIsAnError() =>
        Assert.Throws<ArgumentException>(() => BatchCollator.Collate([], 0));
}
