using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// DPO's loss with chosen and rejected rows through the policy in one forward pass ([2 × pairs] rows): the plain
/// form, differentiable when grad is on. The recipe's evaluation uses it under no_grad, and training uses it when
/// <see cref="DpoPasses.Concatenated"/> is chosen (the caller back-propagates the returned loss).
/// </summary>
public sealed class DpoConcatenatedPass(CausalLM policy, DpoLoss dpo, int chunkPositions)
{
    /// <summary>
    /// <paramref name="referenceChosen"/>, <paramref name="referenceRejected"/>: [pairs] reference log-probs (constants);
    /// <paramref name="pairNormaliser"/>: as <see cref="DpoLoss.Compute"/>. The output joins the caller's dispose scope.
    /// </summary>
    public ObjectiveOutput Loss(PreferenceBatch batch, Tensor referenceChosen, Tensor referenceRejected, double? pairNormaliser)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var both = new SequenceBatch(
            cat([batch.Chosen.InputIds, batch.Rejected.InputIds], 0),
            cat([batch.Chosen.AttentionMask, batch.Rejected.AttentionMask], 0),
            cat([batch.Chosen.LossMask, batch.Rejected.LossMask], 0),
            cat([batch.Chosen.Labels, batch.Rejected.Labels], 0),
            [.. batch.Chosen.Lengths, .. batch.Rejected.Lengths],
            [.. batch.Chosen.PromptLengths, .. batch.Rejected.PromptLengths]);
        using LossTokenLogProbs logProbs = LossTokenLogProbs.Compute(policy, both, chunkPositions);
        long n = batch.Chosen.BatchSize;
        ObjectiveOutput output = dpo.Compute(
            logProbs.Sum.narrow(0, 0, n), logProbs.Sum.narrow(0, n, n),
            referenceChosen, referenceRejected,
            logProbs.Count.narrow(0, 0, n), logProbs.Count.narrow(0, n, n),
            pairNormaliser);
        output.Loss.MoveToOuterDisposeScope();
        return output;
    }
}
