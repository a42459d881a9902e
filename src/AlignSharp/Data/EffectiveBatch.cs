namespace AlignSharp.Data;

/// <summary>Computes the effective batch printed at the start of a run.</summary>
public static class EffectiveBatch
{
    /// <param name="rows">The training rows (after validation); a pair counts as one row of two sequences.</param>
    /// <param name="rowsPerMicroBatch">per_device_train_batch_size.</param>
    /// <param name="gradientAccumulationSteps">gradient_accumulation_steps.</param>
    public static EffectiveBatchSummary Summarize(IReadOnlyList<TokenizedRow> rows, int rowsPerMicroBatch, int gradientAccumulationSteps)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerMicroBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gradientAccumulationSteps);
        if (rows.Count == 0) throw new ArgumentException("no rows to summarise", nameof(rows));
        int rowsPerStep = rowsPerMicroBatch * gradientAccumulationSteps;
        double sequencesPerRow = rows.Average(r => r.Sequences.Count);
        double tokensPerRow = rows.Average(r => r.Sequences.Sum(s => (double)s.Length));
        double lossTokensPerRow = rows.Average(r => r.Sequences.Sum(s => (double)s.LossTokenCount));
        return new EffectiveBatchSummary(
            rowsPerMicroBatch, gradientAccumulationSteps, rowsPerStep,
            (int)Math.Round(rowsPerStep * sequencesPerRow),
            rowsPerStep * tokensPerRow, rowsPerStep * lossTokensPerRow,
            rows.Max(r => r.Sequences.Max(s => s.Length)),
            (rows.Count + rowsPerStep - 1) / rowsPerStep);
    }
}
