namespace AlignSharp.Objectives;

/// <summary>Metric keys the A-LoL family logs besides <c>loss</c> and <c>nll_per_token</c>.</summary>
public static class ALoLMetricNames
{
    /// <summary>Mean per-sequence weight before the ratio: A⁺ or R (1 for NLL).</summary>
    public const string Weight = "alol/weight";

    /// <summary>Mean clipped importance weight (sequence ratio, or per-token for A-LoL seq); 1 when the variant has none.</summary>
    public const string Ratio = "alol/ratio";

    /// <summary>Fraction of ratios the clip changed: near 1 means the clip saturates (algorithms.md §3e pitfall 2).</summary>
    public const string ClipFraction = "alol/clip_fraction";

    /// <summary>Mean one-sample KL estimate log π_θ(y|x) − log π_ref(y|x) over sequences (A-LoL KL's penalty, and logged whenever a reference is given).</summary>
    public const string Kl = "kl";
}
