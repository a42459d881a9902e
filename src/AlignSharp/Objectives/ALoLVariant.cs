namespace AlignSharp.Objectives;

/// <summary>
/// The A-LoL family and the baselines of the same paper (algorithms.md §3a). Every member is
/// "a per-sequence weight × NLL" and differs only in the weight, so one loss class holds them all.
/// </summary>
public enum ALoLVariant
{
    /// <summary>NLL: −Σ_t log π_θ(y_t|·), no weight.</summary>
    Nll,

    /// <summary>Weighted BC: R · NLL.</summary>
    WeightedBc,

    /// <summary>R-LoL: R · clip(sg ρ, 1−ε, 1+ε) · NLL, ρ the sequence ratio π_θ/π_ref.</summary>
    RLoL,

    /// <summary>R-GOLD: R · Σ_t sg(max(π_θ(y_t|·), floor)) · (−log π_θ(y_t|·)).</summary>
    RGold,

    /// <summary>A-LoL: A⁺ · clip(sg ρ, 1−ε, 1+ε) · NLL.</summary>
    ALoL,

    /// <summary>A-LoL ref-free: A⁺ · NLL (ratio set to 1).</summary>
    ALoLRefFree,

    /// <summary>A-LoL seq: A⁺ · Σ_t clip(sg ρ_t, 1−ε, 1+ε) · (−log π_θ(y_t|·)), ρ_t the per-token ratio.</summary>
    ALoLSeq,

    /// <summary>A-LoL KL: A⁺ · NLL + β_KL (log π_θ(y|x) − log π_ref(y|x)), the KL a one-sample estimate on the data response.</summary>
    ALoLKl,
}

/// <summary>Config names of <see cref="ALoLVariant"/>: the official code's <c>algorithm</c> strings.</summary>
public static class ALoLVariants
{
    public static IReadOnlyList<string> KnownNames { get; } =
        ["nll", "wbc", "r_lol", "r_gold", "a_lol", "a_lol_ref_free", "a_lol_seq", "a_lol_kl"];

    public static ALoLVariant Parse(string name) => name switch
    {
        "nll" => ALoLVariant.Nll,
        "wbc" => ALoLVariant.WeightedBc,
        "r_lol" => ALoLVariant.RLoL,
        "r_gold" => ALoLVariant.RGold,
        "a_lol" => ALoLVariant.ALoL,
        "a_lol_ref_free" => ALoLVariant.ALoLRefFree,
        "a_lol_seq" => ALoLVariant.ALoLSeq,
        "a_lol_kl" => ALoLVariant.ALoLKl,
        _ => throw new ArgumentException($"unknown A-LoL variant '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this ALoLVariant variant) => KnownNames[(int)variant];

    /// <summary>The variant's weight is the advantage A⁺ = max(R − V, 0) (else the reward R, or nothing for NLL).</summary>
    public static bool UsesAdvantage(this ALoLVariant variant) =>
        variant is ALoLVariant.ALoL or ALoLVariant.ALoLRefFree or ALoLVariant.ALoLSeq or ALoLVariant.ALoLKl;

    /// <summary>The variant needs the frozen reference's per-token log-probs.</summary>
    public static bool UsesReference(this ALoLVariant variant) =>
        variant is ALoLVariant.ALoL or ALoLVariant.ALoLSeq or ALoLVariant.ALoLKl or ALoLVariant.RLoL;
}
