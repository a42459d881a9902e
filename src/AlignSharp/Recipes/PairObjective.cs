using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// The training objective of a pair recipe (DPO, MODPO, ORPO): collate the micro-batch's pairs, then run its
/// <see cref="PairLoss"/> either one side at a time (<see cref="PairSplitPassStep"/>, as
/// <see cref="TrainingObjective{TExample}.LossAndBackward"/>) or both at once (<see cref="PairConcatenatedPass"/>).
/// Evaluation, under no_grad, always runs the concatenated pass. The gradient is the same either way.
/// </summary>
public static class PairObjective
{
    /// <param name="policy">The model being trained.</param>
    /// <param name="paddingId">Padding of the collated rows.</param>
    /// <param name="chunkPositions">As <see cref="RecipeOptions.ChunkPositions"/>.</param>
    /// <param name="steps">Split or concatenated training steps, and the heap trims of the split one.</param>
    /// <param name="pair">The pair an example trains on.</param>
    /// <param name="loss">The micro-batch's loss; its constants (reference log-probs, margins) join the loop's dispose scope.</param>
    /// <param name="lossTokens">As <see cref="TrainingObjective{TExample}.LossTokens"/>.</param>
    public static TrainingObjective<TExample> Create<TExample>(CausalLM policy, int paddingId, int chunkPositions,
        PairStepOptions steps, Func<TExample, TokenizedPair> pair,
        Func<IReadOnlyList<TExample>, MicroBatchContext, PairLoss> loss, Func<TExample, long>? lossTokens = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(loss);
        var concatenated = new PairConcatenatedPass(policy, chunkPositions);
        var split = new PairSplitPassStep(policy, chunkPositions, steps.TrimHeap);
        ObjectiveOutput MicroBatch(IReadOnlyList<TExample> batch, MicroBatchContext step, bool splitWithBackward)
        {
            using PreferenceBatch collated = BatchCollator.CollatePairs(batch.Select(pair).ToArray(), paddingId);
            PairLoss microBatchLoss = loss(batch, step);
            return splitWithBackward ? split.Run(collated, microBatchLoss) : concatenated.Loss(collated, microBatchLoss);
        }
        return new TrainingObjective<TExample>(
            Loss: (batch, step) => MicroBatch(batch, step, splitWithBackward: false),
            Tokens: e => pair(e).Chosen.Length + pair(e).Rejected.Length,
            LossTokens: lossTokens,
            LossAndBackward: steps.Passes == PairPasses.Split ? (batch, step) => MicroBatch(batch, step, splitWithBackward: true) : null);
    }
}
