using AlignSharp.Rollouts;

namespace AlignSharp.Recipes.Online;

/// <summary>What every online recipe (GRPO, RLOO) shares: the loop's settings, the rollouts, the rewards' weights and the reference.</summary>
public sealed record OnlineRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>num_generations, max_completion_length, temperature, top_p, top_k, steps_per_generation, num_iterations, …</summary>
    public RolloutOptions Rollout { get; init; } = new();

    /// <summary>reward_weights: one per reward function, in order; null weighs each 1.</summary>
    public IReadOnlyList<double>? RewardWeights { get; init; }

    /// <summary>ref_model: the reference folder when beta &gt; 0; null means the starting policy (TRL's default).</summary>
    public string? ReferenceModel { get; init; }

    /// <summary>Warn when this many generations in a row have frac_reward_zero_std above 0.9 (those steps learn nothing).</summary>
    public int ZeroStdWarningGenerations { get; init; } = 3;
}
