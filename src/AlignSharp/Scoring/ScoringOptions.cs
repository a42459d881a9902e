namespace AlignSharp.Scoring;

/// <summary>How <see cref="CompletionScorer"/> bounds memory.</summary>
/// <param name="ChunkPositions">
/// Scored positions projected to the vocabulary at once. Only this many rows of fp32 logits
/// [ChunkPositions, vocab] exist at a time (DESIGN.md pitfall 2).
/// </param>
/// <param name="MaxBatchRows">Most rows per forward pass in <see cref="CompletionScorer.ScoreMany"/>.</param>
/// <param name="MaxBatchTokens">
/// Most padded tokens (rows × longest row) per forward pass in <see cref="CompletionScorer.ScoreMany"/>;
/// a single row longer than this still gets its own batch.
/// </param>
/// <param name="KeptLogitsBudgetBytes">
/// With gradients: the most fp32 log-softmax bytes kept for the backward pass; above it the head is
/// recomputed in backward instead (<see cref="ChunkedLogProbs.Gather"/>). 0 always recomputes.
/// </param>
public sealed record ScoringOptions(int ChunkPositions = 2048, int MaxBatchRows = 16, int MaxBatchTokens = 16384,
    long KeptLogitsBudgetBytes = ChunkedLogProbs.KeptLogitsBudgetBytes)
{
    internal void Validate()
    {
        if (ChunkPositions < 1) throw new ArgumentOutOfRangeException(nameof(ChunkPositions), ChunkPositions, "must be at least 1");
        if (MaxBatchRows < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchRows), MaxBatchRows, "must be at least 1");
        if (KeptLogitsBudgetBytes < 0) throw new ArgumentOutOfRangeException(nameof(KeptLogitsBudgetBytes), KeptLogitsBudgetBytes, "must be at least 0");
        if (MaxBatchTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchTokens), MaxBatchTokens, "must be at least 1");
    }
}
