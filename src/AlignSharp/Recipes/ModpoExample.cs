using AlignSharp.Data;

namespace AlignSharp.Recipes;

/// <summary>
/// A preference pair with everything MODPO needs that does not change during training, computed once before step 1:
/// the reference log-probs (sums over trained completion tokens) and each margin scorer's reward of both responses.
/// </summary>
public sealed record ModpoExample(
    TokenizedPair Pair,
    double ReferenceChosenLogp,
    double ReferenceRejectedLogp,
    IReadOnlyList<double> ChosenMargins,
    IReadOnlyList<double> RejectedMargins);
