using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// Log-probabilities of the tokens a batch trains on (its loss mask, so EOS counts and prompt, padding and
/// non-assistant turns never do), computed from the hidden states in chunks so [batch, time, vocab] fp32
/// logits never exist (DESIGN.md pitfall 2). Position t predicts InputIds[t+1] and counts when LossMask[t+1].
/// </summary>
public sealed class LossTokenLogProbs : IDisposable
{
    LossTokenLogProbs(Tensor tokenLogProbs, Tensor mask, Tensor sum, Tensor count)
    {
        TokenLogProbs = tokenLogProbs;
        Mask = mask;
        Sum = sum;
        Count = count;
    }

    /// <summary>[batch, time − 1] fp32 log-prob of each target token; 0 where <see cref="Mask"/> is false.</summary>
    public Tensor TokenLogProbs { get; }

    /// <summary>[batch, time − 1] bool: the target is trained on.</summary>
    public Tensor Mask { get; }

    /// <summary>[batch] sequence log-probability: the sum over trained tokens.</summary>
    public Tensor Sum { get; }

    /// <summary>[batch] int64 trained tokens per sequence.</summary>
    public Tensor Count { get; }

    /// <summary>
    /// Differentiable when grad is on; the result's tensors join the caller's dispose scope.
    /// <paramref name="documentIds"/>: packed rows (see <see cref="PackedBatch"/>); null for ordinary batches.
    /// </summary>
    public static LossTokenLogProbs Compute(CausalLM model, SequenceBatch batch, int chunkPositions, Tensor? documentIds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        Tensor hidden = documentIds is null
            ? model.Hidden(batch.InputIds, batch.AttentionMask)
            : model.HiddenPacked(batch.InputIds, documentIds, batch.AttentionMask);
        var (tokenLogProbs, mask) = FromHidden(model, hidden, batch, chunkPositions);
        return new LossTokenLogProbs(
            tokenLogProbs.MoveToOuterDisposeScope(),
            mask.clone().MoveToOuterDisposeScope(),
            tokenLogProbs.sum(1).MoveToOuterDisposeScope(),
            mask.sum(1, type: ScalarType.Int64).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The step every objective shares once it has hidden states [batch, time, hidden] for <paramref name="batch"/>
    /// (from ids, packed rows or IFT's mixed embeddings): project only the trained positions, in chunks, and gather
    /// the targets' log-probs. Returns ([batch, time − 1] fp32 log-probs, 0 where untrained; the mask) in the caller's scope.
    /// </summary>
    public static (Tensor TokenLogProbs, Tensor Mask) FromHidden(ICausalLM model, Tensor hidden, SequenceBatch batch, int chunkPositions)
    {
        long rows = batch.BatchSize, time = batch.TimeSteps;
        long width = hidden.shape[^1];
        Tensor mask = batch.LossMask.narrow(1, 1, time - 1);
        Tensor positions = mask.reshape(-1).nonzero().squeeze(1);
        Tensor selected = hidden.narrow(1, 0, time - 1).reshape(rows * (time - 1), width).index_select(0, positions);
        Tensor targets = batch.InputIds.narrow(1, 1, time - 1).reshape(-1).index_select(0, positions);
        Tensor picked = ChunkedLogProbs.Gather(model, selected, targets, chunkPositions);
        Tensor tokenLogProbs = zeros(rows * (time - 1), dtype: ScalarType.Float32, device: hidden.device)
            .scatter(0, positions, picked)
            .reshape(rows, time - 1);
        return (tokenLogProbs, mask);
    }

    /// <summary>
    /// The same values as constants (no graph), e.g. the side held fixed while the other is back-propagated
    /// (<see cref="PairSplitPassStep"/>). Shares storage with this; the result's tensors join the caller's dispose scope.
    /// </summary>
    public LossTokenLogProbs Detached() => new(TokenLogProbs.detach(), Mask.detach(), Sum.detach(), Count.detach());

    /// <summary>
    /// Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) as views (with this one's graph),
    /// e.g. one side of a concatenated pair batch. The result's tensors join the caller's dispose scope.
    /// </summary>
    public LossTokenLogProbs Rows(long start, long length) => new(
        TokenLogProbs.narrow(0, start, length), Mask.narrow(0, start, length), Sum.narrow(0, start, length), Count.narrow(0, start, length));

    /// <summary>Trained target tokens of one sequence (the loss mask without its first position, which nothing predicts).</summary>
    public static int TargetCount(TokenizedSequence sequence) => sequence.LossMask.Skip(1).Count(m => m);

    public void Dispose()
    {
        TokenLogProbs.Dispose();
        Mask.Dispose();
        Sum.Dispose();
        Count.Dispose();
    }
}
