namespace AlignSharp.Objectives;

/// <summary>The function applied to MODPO's logits R(y_w) − R(y_l) (the official code's two choices).</summary>
public enum ModpoLossType
{
    /// <summary>−log σ(logits): DPO's form.</summary>
    Sigmoid,

    /// <summary>max(0, 1 − logits): the SLiC-style hinge.</summary>
    Hinge,
}

/// <summary>Config names of <see cref="ModpoLossType"/> (the official code's <c>loss_type</c> strings).</summary>
public static class ModpoLossTypes
{
    public static IReadOnlyList<string> KnownNames { get; } = ["sigmoid", "hinge"];

    public static ModpoLossType Parse(string name) => name switch
    {
        "sigmoid" => ModpoLossType.Sigmoid,
        "hinge" => ModpoLossType.Hinge,
        _ => throw new ArgumentException(
            $"unknown MODPO loss_type '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this ModpoLossType type) => type switch
    {
        ModpoLossType.Sigmoid => "sigmoid",
        ModpoLossType.Hinge => "hinge",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown MODPO loss type"),
    };
}

/// <summary>
/// Options of <see cref="ModpoLoss"/>. <see cref="Weights"/> = (w_k, w_1, …, w_m): first the weight of the
/// objective whose preferences are trained on, then one weight per frozen margin scorer, in the scorers' order.
/// </summary>
/// <remarks>
/// w_k must be > 0: it divides the logits (1/w_k → ∞ as w_k → 0, algorithms.md §2 pitfall 2). Margin weights
/// must be ≥ 0: a weight of 0 leaves that objective out, so w = (1, 0, …) is DPO exactly (tested, as is
/// w = (1) with no scorers and w = (1, ε) → DPO as ε → 0).
/// </remarks>
public sealed record ModpoOptions
{
    /// <summary>β: the KL strength of the policy's implicit reward β·log π_θ/π_ref (official default 0.1).</summary>
    public double Beta { get; init; } = 0.1;

    public ModpoLossType LossType { get; init; } = ModpoLossType.Sigmoid;

    /// <summary>(w_k, w_margin_1, …); default (1): no margin scorers, which is DPO.</summary>
    public IReadOnlyList<double> Weights { get; init; } = [1.0];

    /// <summary>Number of margin scorers these weights expect.</summary>
    public int MarginCount => Weights.Count - 1;

    /// <summary>Throws a clear error for weights or β that have no meaning.</summary>
    public void Validate()
    {
        if (!(Beta > 0) || !double.IsFinite(Beta))
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "MODPO: beta must be a positive finite number");
        if (!Enum.IsDefined(LossType))
            throw new ArgumentOutOfRangeException(nameof(LossType), LossType, "MODPO: unknown loss type");
        if (Weights is null || Weights.Count == 0)
            throw new ArgumentException("MODPO: weights must list at least w_k, the weight of the preference objective", nameof(Weights));
        for (int i = 0; i < Weights.Count; i++)
        {
            double w = Weights[i];
            // w_k divides the logits, so it must be > 0; a margin weight of 0 leaves that objective out
            // (w = (1, 0, …) is DPO exactly, algorithms.md §2), a negative one would reward the opposite.
            if (double.IsFinite(w) && (i == 0 ? w > 0 : w >= 0)) continue;
            string which = i == 0 ? "w_k (weights[0], the preference objective's weight)" : $"weights[{i}] (margin scorer {i})";
            string why = i == 0
                ? "MODPO divides by it, so it must be > 0; w_k = 0 would mean the preference data is ignored"
                : "margin weights must be ≥ 0 (0 leaves that objective out)";
            throw new ArgumentOutOfRangeException(nameof(Weights), w, $"MODPO: {which} is {w}; {why}");
        }
    }
}
