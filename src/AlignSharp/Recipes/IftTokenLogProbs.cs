using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// IFT's two passes over a batch (algorithms.md §1 (a), the official code): a no-grad pass on the gold embeddings
/// for the model's one-step greedy predictions, then the differentiable pass on λ-mixed embeddings giving the
/// log-probs of the gold targets. Same layout as <see cref="LossTokenLogProbs"/>: [batch, time − 1], position t
/// predicts InputIds[t+1] and counts when LossMask[t+1]; chunked so [batch, time, vocab] fp32 logits never exist.
/// </summary>
public static class IftTokenLogProbs
{
    /// <summary>
    /// <paramref name="inputTable"/>: the [vocab, hidden] table the inputs are looked up in: a frozen copy of the
    /// initial token embeddings (the official code) or the model's live table. λ = 0 skips the prediction pass
    /// (its result would be multiplied by 0). Returns (token log-probs, mask), joining the caller's dispose scope.
    /// </summary>
    public static (Tensor TokenLogProbs, Tensor Mask) Compute(CausalLM model, SequenceBatch batch, Tensor inputTable, double lambda, int chunkPositions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(inputTable);
        using var scope = NewDisposeScope();
        Tensor gold = Embed(inputTable, batch.InputIds);
        Tensor inputs = gold;
        if (lambda != 0)
        {
            Tensor predictions;
            using (no_grad())
                predictions = GreedyNext(model, model.HiddenFromEmbeddings(gold, batch.AttentionMask), chunkPositions);
            Tensor predictedIds = IftInputs.PredictedInputIds(batch.InputIds, predictions, batch.LossMask);
            inputs = IftInputs.Mix(gold, Embed(inputTable, predictedIds), lambda);
        }

        Tensor hidden = model.HiddenFromEmbeddings(inputs, batch.AttentionMask);
        var (tokenLogProbs, mask) = LossTokenLogProbs.FromHidden(model, hidden, batch, chunkPositions);
        return (tokenLogProbs.MoveToOuterDisposeScope(), mask.clone().MoveToOuterDisposeScope());
    }

    static Tensor Embed(Tensor table, Tensor ids) =>
        table.index_select(0, ids.reshape(-1)).reshape(ids.shape[0], ids.shape[1], table.shape[1]);

    /// <summary>[batch, time] argmax of each position's next-token logits, projected a chunk of positions at a time.</summary>
    static Tensor GreedyNext(CausalLM model, Tensor hidden, int chunkPositions)
    {
        long rows = hidden.shape[0], time = hidden.shape[1];
        Tensor flat = hidden.reshape(rows * time, hidden.shape[2]);
        long chunk = Math.Max(1, chunkPositions);
        var parts = new List<Tensor>();
        for (long start = 0; start < rows * time; start += chunk)
            parts.Add(model.Logits(flat.narrow(0, start, Math.Min(chunk, rows * time - start))).argmax(-1));
        return cat(parts, 0).reshape(rows, time);
    }
}
