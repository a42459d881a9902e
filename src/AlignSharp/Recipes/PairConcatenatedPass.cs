using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// A pair loss with chosen and rejected rows through the policy in one forward pass ([2 × pairs] rows): the plain
/// form, differentiable when grad is on. The pair recipes' evaluation uses it under no_grad, and training uses it when
/// <see cref="PairPasses.Concatenated"/> is chosen (the caller back-propagates the returned loss).
/// </summary>
public sealed class PairConcatenatedPass(CausalLM policy, int chunkPositions)
{
    /// <summary><paramref name="loss"/> on both sides, with graph when grad is on. The output joins the caller's dispose scope.</summary>
    public ObjectiveOutput Loss(PreferenceBatch batch, PairLoss loss)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(loss);
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
        using LossTokenLogProbs chosen = logProbs.Rows(0, n), rejected = logProbs.Rows(n, n);
        ObjectiveOutput output = loss(chosen, rejected);
        output.Loss.MoveToOuterDisposeScope();
        return output;
    }
}
