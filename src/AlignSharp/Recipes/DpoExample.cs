using AlignSharp.Data;

namespace AlignSharp.Recipes;

/// <summary>A preference pair with its reference log-probs (sums over the trained completion tokens), computed once before training.</summary>
public sealed record DpoExample(TokenizedPair Pair, double ReferenceChosenLogp, double ReferenceRejectedLogp);
