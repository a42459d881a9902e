using AlignSharp.Recipes.Online;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="RlooRecipe"/> (TRL's RLOOConfig keys; TRL's defaults: num_generations 2, beta 0.05).</summary>
public sealed record RlooRecipeOptions
{
    /// <summary>The loop, the rollouts, the rewards' weights, the reference.</summary>
    public OnlineRecipeOptions Online { get; init; } = new() { Rollout = new Rollouts.RolloutOptions { NumGenerations = 2 } };

    /// <summary>beta: weight of the KL (k1 summed over the completion) subtracted from the reward; 0 loads no reference.</summary>
    public double Beta { get; init; } = 0.05;

    public double Epsilon { get; init; } = 0.2;

    public double? EpsilonHigh { get; init; }

    /// <summary>normalize_advantages: whiten the leave-one-out advantages over the generation (off by default, as TRL).</summary>
    public bool NormalizeAdvantages { get; init; }
}
