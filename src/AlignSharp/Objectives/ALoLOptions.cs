namespace AlignSharp.Objectives;

/// <summary>Options of <see cref="ALoLLoss"/>; names follow the official code (<c>ppo_clip</c>, <c>kl_beta</c>).</summary>
public sealed record ALoLOptions
{
    public ALoLVariant Variant { get; init; } = ALoLVariant.ALoL;

    /// <summary>ε (<c>ppo_clip</c>): importance weights are clipped to [1−ε, 1+ε]. The HHA script uses 0.9.</summary>
    public double ClipEpsilon { get; init; } = 0.9;

    /// <summary>β_KL (<c>kl_beta</c>) of A-LoL KL; the paper's value is not found, 0.1 is our default.</summary>
    public double KlBeta { get; init; } = 0.1;

    /// <summary>R-GOLD's lower bound on the per-token probability weight (0.1 in the code).</summary>
    public double GoldProbabilityFloor { get; init; } = 0.1;

    public void Validate()
    {
        if (!(ClipEpsilon > 0 && ClipEpsilon <= 1))
            throw new ArgumentOutOfRangeException(nameof(ClipEpsilon), ClipEpsilon, "A-LoL: clip epsilon (ppo_clip) must be in (0, 1] so that the weights stay in [1-ε, 1+ε] with 1-ε ≥ 0");
        if (!(KlBeta >= 0) || !double.IsFinite(KlBeta))
            throw new ArgumentOutOfRangeException(nameof(KlBeta), KlBeta, "A-LoL: kl_beta must be a non-negative finite number");
        if (!(GoldProbabilityFloor >= 0 && GoldProbabilityFloor <= 1))
            throw new ArgumentOutOfRangeException(nameof(GoldProbabilityFloor), GoldProbabilityFloor, "A-LoL: the R-GOLD probability floor must be in [0, 1]");
    }
}
