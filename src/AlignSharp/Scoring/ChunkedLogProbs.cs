using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>
/// log p(target | hidden) for selected positions, projecting to the vocabulary a chunk of positions
/// at a time and casting each chunk's logits to fp32, so [positions, vocab] fp32 logits never exist
/// all at once (DESIGN.md pitfall 2).
/// </summary>
public static class ChunkedLogProbs
{
    /// <summary>
    /// <paramref name="hidden"/>: [positions, hidden] final hidden states of the predicting positions;
    /// <paramref name="targetIds"/>: [positions] int64 ids whose log-probability is wanted.
    /// Returns [positions] fp32, differentiable when <paramref name="hidden"/> or the projection is.
    /// Under autograd each chunk's log-softmax output is kept for the backward pass, so peak memory
    /// during training still grows with the number of scored positions; this bounds the forward peak.
    /// </summary>
    public static Tensor Gather(ICausalLM model, Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        if (chunkPositions < 1) throw new ArgumentOutOfRangeException(nameof(chunkPositions), chunkPositions, "must be at least 1");
        if (hidden.dim() != 2) throw new ArgumentException($"hidden must be [positions, hidden], got [{string.Join(", ", hidden.shape)}]", nameof(hidden));
        long positions = hidden.shape[0];
        if (targetIds.dim() != 1 || targetIds.shape[0] != positions)
            throw new ArgumentException($"targetIds must be [{positions}], got [{string.Join(", ", targetIds.shape)}]", nameof(targetIds));
        if (positions == 0) return zeros(0, dtype: ScalarType.Float32, device: hidden.device);

        using var scope = NewDisposeScope();
        var pieces = new List<Tensor>();
        for (long start = 0; start < positions; start += chunkPositions)
        {
            long length = Math.Min(chunkPositions, positions - start);
            Tensor logits = model.Logits(hidden.narrow(0, start, length)).to_type(ScalarType.Float32);
            Tensor logProbs = logits.log_softmax(-1);
            pieces.Add(logProbs.gather(1, targetIds.narrow(0, start, length).unsqueeze(1)).squeeze(1));
            // The chunk's fp32 logits are not needed past this point (autograd holds what it needs).
            logits.Dispose();
            logProbs.Dispose();
        }
        Tensor result = pieces.Count == 1 ? pieces[0] : cat(pieces, 0);
        return result.MoveToOuterDisposeScope();
    }
}
