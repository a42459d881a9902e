using AlignSharp.Data;
using AlignSharp.Modeling;
using AlignSharp.Objectives;
using AlignSharp.Runtime;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// A training step (forward and backward) of a pair loss (DPO, MODPO, ORPO: <see cref="PairLosses"/>) that holds the
/// activations of one side of the pairs at a time. The loss L(c, r) depends on the chosen rows' log-probs c and the
/// rejected rows' r, each from its own rows, so ∂L/∂θ = ∂L/∂c·∂c/∂θ + ∂L/∂r·∂r/∂θ can be accumulated in two backward
/// passes, each with the other side's values as constants: (1) a no-grad forward over the rejected rows gives r;
/// (2) chosen rows forward, L(c, r constant), backward; (3) rejected rows forward, L(c detached, r), backward.
/// A term of only one side (ORPO's chosen NLL) is thus differentiated once, in that side's pass. The gradient is
/// exactly the concatenated step's (<see cref="PairConcatenatedPass"/>), for one extra no-grad forward, with an SFT
/// step's worth of activations alive; the constants kept between passes are [pairs, time] log-probs, not activations.
/// </summary>
/// <remarks>
/// Exact only if a forward pass is deterministic and rows do not interact: the no-grad value of r in (2) must equal
/// the r that (3) differentiates. AlignSharp's decoders have no dropout and no batch statistics, so it is.
/// </remarks>
/// <param name="policy">The model being trained (in train mode).</param>
/// <param name="chunkPositions">Positions projected to the vocabulary at once (<see cref="RecipeOptions.ChunkPositions"/>).</param>
/// <param name="trimHeap">
/// Give freed native memory back to the OS (<see cref="NativeHeap.Trim"/>) before each back-propagated pass, so the
/// fragmented heap left by the previous pass does not add to the peak; costs CPU (see <see cref="NativeHeap"/>).
/// </param>
public sealed class PairSplitPassStep(CausalLM policy, int chunkPositions, bool trimHeap)
{
    /// <summary>
    /// Back-propagates one micro-batch (gradients accumulate in the parameters) and returns the detached loss with
    /// <paramref name="loss"/>'s metrics, equal to those of the concatenated step: the last pass sees both sides' values.
    /// <paramref name="onPhaseEnd"/>: called as each forward and backward ends, for timing. The output joins the caller's dispose scope.
    /// </summary>
    public ObjectiveOutput Run(PreferenceBatch batch, PairLoss loss, Action<PairPassPhase>? onPhaseEnd = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(loss);
        using var scope = NewDisposeScope();

        // (1) r as constants. First, while no graph is alive, so its transient memory does not add to the peak.
        LossTokenLogProbs rejectedValues;
        using (no_grad())
        using (LossTokenLogProbs rejected = LossTokenLogProbs.Compute(policy, batch.Rejected, chunkPositions))
            rejectedValues = rejected.Detached();

        // (2) ∂L/∂c·∂c/∂θ: chosen rows with graph, r constant.
        if (trimHeap) NativeHeap.Trim(); // the no-grad pass's temporaries are free now
        LossTokenLogProbs chosenValues;
        using (LossTokenLogProbs chosen = LossTokenLogProbs.Compute(policy, batch.Chosen, chunkPositions))
        {
            using (ObjectiveOutput output = loss(chosen, rejectedValues))
            {
                onPhaseEnd?.Invoke(PairPassPhase.Forward);
                output.Loss.backward();
                onPhaseEnd?.Invoke(PairPassPhase.Backward);
            }
            chosenValues = chosen.Detached();
        }
        rejectedValues.Dispose();

        // (3) ∂L/∂r·∂r/∂θ: rejected rows with graph, c detached (its graph was freed by the backward above).
        if (trimHeap) NativeHeap.Trim(); // the chosen pass's activations are free now
        using LossTokenLogProbs rejectedWithGraph = LossTokenLogProbs.Compute(policy, batch.Rejected, chunkPositions);
        using ObjectiveOutput last = loss(chosenValues, rejectedWithGraph);
        onPhaseEnd?.Invoke(PairPassPhase.Forward);
        last.Loss.backward();
        onPhaseEnd?.Invoke(PairPassPhase.Backward);
        chosenValues.Dispose();

        // Its value is the true loss (the same forward values as one concatenated pass), and its metrics see both sides.
        return new ObjectiveOutput(last.Loss.detach().MoveToOuterDisposeScope(), last.Metrics);
    }
}
