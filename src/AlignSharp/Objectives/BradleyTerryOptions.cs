namespace AlignSharp.Objectives;

/// <summary>Options of <see cref="BradleyTerryLoss"/>.</summary>
public sealed record BradleyTerryOptions
{
    /// <summary>
    /// TRL's <c>center_rewards_coefficient</c>: adds c·mean((r_w + r_l)²) so rewards stay centred on
    /// zero (Eisenstein et al., 2023). Null (the default) leaves the plain Bradley–Terry loss.
    /// </summary>
    public double? CenterRewardsCoefficient { get; init; }
}
