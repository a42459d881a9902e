using AlignSharp.Data;

namespace AlignSharp.Recipes;

/// <summary>
/// One training row of an A-LoL run with everything computed once before step 1: its reward R, the value
/// V(x) of its prompt, A = R − V, and the frozen reference's log-prob of each trained token (in order).
/// </summary>
public sealed record ALoLExample(TokenizedExample Example, double Reward, double Value, double Advantage, float[]? ReferenceTokenLogps);
