namespace AlignSharp.Recipes;

/// <summary>
/// A preference loss as a function of the two sides of a batch of pairs: the chosen rows' and the rejected rows'
/// <see cref="LossTokenLogProbs"/>. Each side is either live (with graph, the side being back-propagated) or constants
/// (detached values), so <see cref="PairSplitPassStep"/> can back-propagate one side at a time and
/// <see cref="PairConcatenatedPass"/> both at once with the same function.
/// </summary>
/// <remarks>
/// The split step calls it up to twice per micro-batch and returns the last call's output, so it must be a pure
/// function of its inputs (no counters, no state carried between calls); everything else it needs (reference
/// log-probs, margins, normalisers) is a constant captured when it is built (see <see cref="PairLosses"/>).
/// The returned output joins the caller's dispose scope.
/// </remarks>
public delegate Objectives.ObjectiveOutput PairLoss(LossTokenLogProbs chosen, LossTokenLogProbs rejected);
