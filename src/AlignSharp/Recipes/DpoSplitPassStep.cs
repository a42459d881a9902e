using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Runtime;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// A DPO training step (forward and backward) that holds the activations of one side of the pairs at a time.
/// DPO's loss depends on the two sides only through h = (c − c_ref) − (r − r_ref), so ∂L/∂θ = ∂L/∂c·∂c/∂θ + ∂L/∂r·∂r/∂θ
/// can be accumulated in two backward passes, each with the other side's value as a constant:
/// (1) a no-grad forward over the rejected rows gives r; (2) chosen rows forward, loss(c, r constant), backward;
/// (3) rejected rows forward, loss(c detached, r), backward. The gradient is exactly the concatenated step's
/// (<see cref="DpoConcatenatedPass"/>), for one extra no-grad forward, with an SFT step's worth of activations alive.
/// </summary>
/// <remarks>
/// Exact only if a forward pass is deterministic: the no-grad value of r in (2) must equal the r that (3) differentiates.
/// AlignSharp's decoders have no dropout, so it is.
/// </remarks>
/// <param name="policy">The model being trained (in train mode).</param>
/// <param name="dpo">The loss; IPO's token counts and label smoothing go through it unchanged.</param>
/// <param name="chunkPositions">Positions projected to the vocabulary at once (<see cref="RecipeOptions.ChunkPositions"/>).</param>
/// <param name="trimHeap">
/// Give freed native memory back to the OS (<see cref="NativeHeap.Trim"/>) before each back-propagated pass, so the
/// fragmented heap left by the previous pass does not add to the peak; costs CPU (see <see cref="NativeHeap"/>).
/// </param>
public sealed class DpoSplitPassStep(CausalLM policy, DpoLoss dpo, int chunkPositions, bool trimHeap)
{
    /// <summary>
    /// Back-propagates one micro-batch (gradients accumulate in the parameters) and returns the detached loss with
    /// <see cref="DpoLoss.Compute"/>'s metrics, equal to those of the concatenated step.
    /// <paramref name="referenceChosen"/>, <paramref name="referenceRejected"/>: [pairs] reference log-probs (constants);
    /// <paramref name="pairNormaliser"/>: as <see cref="DpoLoss.Compute"/> (the step's pairs under gradient accumulation).
    /// <paramref name="onPhaseEnd"/>: called as each forward and backward ends, for timing. The output joins the caller's dispose scope.
    /// </summary>
    public ObjectiveOutput Run(PreferenceBatch batch, Tensor referenceChosen, Tensor referenceRejected, double? pairNormaliser,
        Action<DpoPassPhase>? onPhaseEnd = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();

        // (1) r as a constant. First, while no graph is alive, so its transient memory does not add to the peak.
        Tensor rejectedValue, rejectedCount;
        using (no_grad())
        using (LossTokenLogProbs rejected = LossTokenLogProbs.Compute(policy, batch.Rejected, chunkPositions))
        {
            rejectedValue = rejected.Sum.detach();
            rejectedCount = rejected.Count.detach();
        }

        // (2) ∂L/∂c·∂c/∂θ: chosen rows with graph, r constant.
        if (trimHeap) NativeHeap.Trim(); // the no-grad pass's temporaries are free now
        Tensor chosenValue, chosenCount;
        using (LossTokenLogProbs chosen = LossTokenLogProbs.Compute(policy, batch.Chosen, chunkPositions))
        {
            using (ObjectiveOutput output = dpo.Compute(chosen.Sum, rejectedValue, referenceChosen, referenceRejected,
                       chosen.Count, rejectedCount, pairNormaliser))
            {
                onPhaseEnd?.Invoke(DpoPassPhase.Forward);
                output.Loss.backward();
                onPhaseEnd?.Invoke(DpoPassPhase.Backward);
            }
            chosenValue = chosen.Sum.detach();
            chosenCount = chosen.Count.detach();
        }

        // (3) ∂L/∂r·∂r/∂θ: rejected rows with graph, c detached (its graph was freed by the backward above).
        if (trimHeap) NativeHeap.Trim(); // the chosen pass's activations are free now
        using LossTokenLogProbs rejectedWithGraph = LossTokenLogProbs.Compute(policy, batch.Rejected, chunkPositions);
        using ObjectiveOutput last = dpo.Compute(chosenValue, rejectedWithGraph.Sum, referenceChosen, referenceRejected,
            chosenCount, rejectedWithGraph.Count, pairNormaliser);
        onPhaseEnd?.Invoke(DpoPassPhase.Forward);
        last.Loss.backward();
        onPhaseEnd?.Invoke(DpoPassPhase.Backward);

        // Its value is the true loss (the same forward values as one concatenated pass), and its metrics see both sides.
        return new ObjectiveOutput(last.Loss.detach().MoveToOuterDisposeScope(), last.Metrics);
    }
}
