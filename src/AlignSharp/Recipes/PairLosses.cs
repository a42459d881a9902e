using AlignSharp.Objectives;
using static TorchSharp.torch;

namespace AlignSharp.Recipes;

/// <summary>
/// DPO, MODPO and ORPO as <see cref="PairLoss"/>es: which per-side quantities each loss reads. DPO and MODPO need only
/// each row's summed log-prob and token count; ORPO needs the token log-probs and masks (its chosen NLL and per-token means).
/// Everything else is a constant of the micro-batch: [pairs] reference log-probs, [pairs, m] margins, the step's normalisers.
/// </summary>
public static class PairLosses
{
    /// <summary><see cref="DpoLoss.Compute"/>; <paramref name="pairNormaliser"/> as there (the step's pairs under gradient accumulation).</summary>
    public static PairLoss Dpo(DpoLoss dpo, Tensor referenceChosen, Tensor referenceRejected, double? pairNormaliser)
    {
        ArgumentNullException.ThrowIfNull(dpo);
        return (chosen, rejected) => dpo.Compute(chosen.Sum, rejected.Sum, referenceChosen, referenceRejected,
            chosen.Count, rejected.Count, pairNormaliser);
    }

    /// <summary><see cref="ModpoLoss.Compute"/>; the margins are [pairs, m] constants (null when there are no margin scorers).</summary>
    public static PairLoss Modpo(ModpoLoss modpo, Tensor referenceChosen, Tensor referenceRejected,
        Tensor? chosenMargins, Tensor? rejectedMargins, double? pairNormaliser)
    {
        ArgumentNullException.ThrowIfNull(modpo);
        return (chosen, rejected) => modpo.Compute(chosen.Sum, rejected.Sum, referenceChosen, referenceRejected,
            chosenMargins, rejectedMargins, pairNormaliser);
    }

    /// <summary>
    /// <see cref="OrpoLoss.Compute"/>: the NLL reads only the chosen side, so in the split step its gradient comes from
    /// the chosen pass alone (the rejected pass sees the chosen side detached) and its value from both.
    /// </summary>
    public static PairLoss Orpo(OrpoLoss orpo, double? pairNormaliser, double? chosenTokenNormaliser)
    {
        ArgumentNullException.ThrowIfNull(orpo);
        return (chosen, rejected) => orpo.Compute(chosen.TokenLogProbs, chosen.Mask, rejected.TokenLogProbs, rejected.Mask,
            pairNormaliser, chosenTokenNormaliser);
    }
}
