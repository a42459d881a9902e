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
    /// differentiable with respect to it and to the projection's parameters. If keeping the fp32
    /// log-softmax of all positions for the backward pass would exceed <paramref name="keptLogitsBudgetBytes"/>
    /// (default <see cref="KeptLogitsBudgetBytes"/>; 0 always recomputes), the backward pass recomputes each
    /// chunk's logits instead (activation checkpointing of the head).
    /// </summary>
    public static Tensor Gather(ICausalLM model, Tensor hidden, Tensor targetIds, int chunkPositions, long keptLogitsBudgetBytes = KeptLogitsBudgetBytes)
    {
        Validate(hidden, targetIds, chunkPositions);
        ArgumentOutOfRangeException.ThrowIfNegative(keptLogitsBudgetBytes);
        if (!is_grad_enabled()) return GatherWithoutGraph(model, hidden, targetIds, chunkPositions);
        if (hidden.requires_grad && KeptLogitsBytes(hidden.shape[0], model.VocabSize) > keptLogitsBudgetBytes)
            return RecomputedTokenLogProbs.apply(model, hidden, targetIds, chunkPositions);
        // Small enough to keep, or no graph through the hidden states (a trainable head on a frozen body):
        // plain chunks whose graphs live until backward.
        return GatherKeepingGraph(model, hidden, targetIds, chunkPositions);
    }

    /// <summary>
    /// The fp32 log-softmax kept for backward, at most (64 MiB: 8 rows of 256 tokens with an 8k vocabulary;
    /// about 110 positions of a 151k one). Below it, recomputing the head in backward costs a projection
    /// and a log-softmax and saves no memory next to the body's activations (bench, reference size, bf16 SFT,
    /// three runs each: backward 1.14–1.22 CPU-s kept vs 1.31–1.51 recomputed, of a ~1.9 s step; peak RSS
    /// 1.82 GB vs 1.87–1.93 GB); above it, the kept logits grow with the vocabulary,
    /// the body's activations do not, and recomputing is what keeps a 151k-vocabulary step in memory.
    /// </summary>
    public const long KeptLogitsBudgetBytes = 64L << 20;

    static long KeptLogitsBytes(long positions, long vocab) => positions * vocab * sizeof(float);

    /// <summary>
    /// Chunked forward with autograd off. The output is allocated once and filled chunk by chunk:
    /// small long-lived per-chunk pieces between the large freed logits blocks fragment the C heap,
    /// and the process then grows by a chunk of logits per chunk although every tensor was freed.
    /// </summary>
    internal static Tensor GatherWithoutGraph(ICausalLM model, Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        long positions = hidden.shape[0];
        using var noGrad = no_grad();
        Tensor result = empty(positions, dtype: ScalarType.Float32, device: hidden.device);
        for (long start = 0; start < positions; start += chunkPositions)
        {
            long length = Math.Min(chunkPositions, positions - start);
            using var chunkScope = NewDisposeScope();
            result.narrow(0, start, length).copy_(ChunkLogProbs(model, hidden.narrow(0, start, length), targetIds.narrow(0, start, length)));
        }
        return result;
    }

    /// <summary>
    /// Chunked forward whose graph keeps each chunk's fp32 log-softmax alive until backward.
    /// For hidden states without gradients, and the reference for <see cref="RecomputedTokenLogProbs"/>.
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
            // Each chunk's [chunk, vocab] tensors (the projection's output included) die with this scope.
            using var chunkScope = NewDisposeScope();
            pieces.Add(ChunkLogProbs(model, hidden.narrow(0, start, length), targetIds.narrow(0, start, length)).MoveToOuterDisposeScope());
        }
        Tensor result = pieces.Count == 1 ? pieces[0] : cat(pieces, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One chunk: project, cast to fp32, log-softmax, gather. Intermediates die with the caller's (per-chunk) scope.</summary>
    internal static Tensor ChunkLogProbs(ICausalLM model, Tensor hiddenChunk, Tensor targetChunk) =>
        model.Logits(hiddenChunk).to_type(ScalarType.Float32).log_softmax(-1).gather(1, targetChunk.unsqueeze(1)).squeeze(1);

    static void Validate(Tensor hidden, Tensor targetIds, int chunkPositions)
    {
        if (chunkPositions < 1) throw new ArgumentOutOfRangeException(nameof(chunkPositions), chunkPositions, "must be at least 1");
        if (hidden.dim() != 2) throw new ArgumentException($"hidden must be [positions, hidden], got [{string.Join(", ", hidden.shape)}]", nameof(hidden));
        if (targetIds.dim() != 1 || targetIds.shape[0] != hidden.shape[0])
            throw new ArgumentException($"targetIds must be [{hidden.shape[0]}], got [{string.Join(", ", targetIds.shape)}]", nameof(targetIds));
    }
}
