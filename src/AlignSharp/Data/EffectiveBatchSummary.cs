using System.Globalization;

namespace AlignSharp.Data;

/// <summary>What one optimizer step trains on (DESIGN.md pitfall 7). Token counts are unpadded means over the dataset.</summary>
public sealed record EffectiveBatchSummary(
    int RowsPerMicroBatch,
    int GradientAccumulationSteps,
    int RowsPerStep,
    int SequencesPerStep,
    double TokensPerStep,
    double LossTokensPerStep,
    int LongestSequence,
    int OptimizerStepsPerEpoch)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"effective batch: {RowsPerStep} rows = {SequencesPerStep} sequences per optimizer step " +
        $"({RowsPerMicroBatch} per micro-batch × {GradientAccumulationSteps} accumulation steps), " +
        $"~{TokensPerStep:0} tokens (~{LossTokensPerStep:0} in the loss) per step, longest sequence {LongestSequence} tokens, " +
        $"{OptimizerStepsPerEpoch} optimizer steps per epoch");
}
