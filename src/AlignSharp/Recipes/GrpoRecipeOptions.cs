using AlignSharp.Objectives;
using AlignSharp.Recipes.Online;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="GrpoRecipe"/> (TRL's GRPOConfig keys).</summary>
public sealed record GrpoRecipeOptions
{
    /// <summary>The loop, the rollouts, the rewards' weights, the reference.</summary>
    public OnlineRecipeOptions Online { get; init; } = new();

    /// <summary>loss_type, epsilon, epsilon_high, beta.</summary>
    public GrpoOptions Grpo { get; init; } = new();

    /// <summary>scale_rewards: group (TRL's default), batch or none.</summary>
    public RewardScaling ScaleRewards { get; init; } = RewardScaling.Group;
}
