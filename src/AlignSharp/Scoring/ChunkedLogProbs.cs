using AlignSharp.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>
/// log p(target | hidden) for selected positions, projecting to the vocabulary a chunk of positions
/// at a time and casting each chunk's logits to fp32, so [positions, vocab] fp32 logits never exist
/// all at once (DESIGN.md pitfall 2), neither in the forward pass nor saved for the backward pass.
/// </summary>
public static class ChunkedLogProbs
{
    /// <summary>
    /// <paramref name="hidden"/>: [positions, hidden] final hidden states of the predicting positions;
    /// <paramref name="targetIds"/>: [positions] int64 ids whose log-probability is wanted.
    /// Returns [positions] fp32. When <paramref name="hidden"/> requires grad, the result is
    /// differentiable with respect to it and to the projection's parameters; the backward pass
    /// recomputes each chunk's logits instead of keeping them (activation checkpointing of the head).
    /// </summary>
    public static Tensor Gather(ICausalLM model, Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        Validate(hidden, targetIds, chunkPositions);
        if (is_grad_enabled() && hidden.requires_grad)
            return RecomputedTokenLogProbs.apply(model, hidden, targetIds, chunkPositions);
        // No graph through the hidden states: plain chunks (still differentiable in the projection's
        // parameters when grad is on, e.g. a trainable head on a frozen body).
        return GatherKeepingGraph(model, hidden, targetIds, chunkPositions);
    }

    /// <summary>
    /// Chunked forward; under autograd each chunk's fp32 log-softmax stays alive until backward.
    /// The reference for <see cref="RecomputedTokenLogProbs"/> and its recomputation step.
    /// </summary>
    internal static Tensor GatherKeepingGraph(ICausalLM model, Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        long positions = hidden.shape[0];
        if (positions == 0) return zeros(0, dtype: ScalarType.Float32, device: hidden.device);
        using var scope = NewDisposeScope();
        var pieces = new List<Tensor>();
        for (long start = 0; start < positions; start += chunkPositions)
        {
            long length = Math.Min(chunkPositions, positions - start);
            pieces.Add(ChunkLogProbs(model, hidden.narrow(0, start, length), targetIds.narrow(0, start, length)));
        }
        Tensor result = pieces.Count == 1 ? pieces[0] : cat(pieces, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One chunk: project, cast to fp32, log-softmax, gather. Intermediates die with the caller's scope.</summary>
    internal static Tensor ChunkLogProbs(ICausalLM model, Tensor hiddenChunk, Tensor targetChunk)
    {
        Tensor logits = model.Logits(hiddenChunk).to_type(ScalarType.Float32);
        Tensor logProbs = logits.log_softmax(-1);
        Tensor picked = logProbs.gather(1, targetChunk.unsqueeze(1)).squeeze(1);
        // Free the chunk's [chunk, vocab] tensors now rather than at the end of the loop.
        logits.Dispose();
        logProbs.Dispose();
        return picked;
    }

    static void Validate(Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        if (chunkPositions < 1) throw new ArgumentOutOfRangeException(nameof(chunkPositions), chunkPositions, "must be at least 1");
        if (hidden.dim() != 2) throw new ArgumentException($"hidden must be [positions, hidden], got [{string.Join(", ", hidden.shape)}]", nameof(hidden));
        if (targetIds.dim() != 1 || targetIds.shape[0] != hidden.shape[0])
            throw new ArgumentException($"targetIds must be [{hidden.shape[0]}], got [{string.Join(", ", targetIds.shape)}]", nameof(targetIds));
    }
}
