namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="RewardModelRecipe"/>.</summary>
public sealed record RewardModelRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>TRL's center_rewards_coefficient; null leaves the plain Bradley–Terry loss.</summary>
    public double? CenterRewardsCoefficient { get; init; }

    /// <summary>
    /// A margin every pair must win by (−log σ(r_w − r_l − m)); null or 0 for none. One value for all pairs:
    /// a per-row <c>margin</c> column is not read yet.
    /// </summary>
    public double? Margin { get; init; }

    /// <summary>Seeds the new <c>score</c> head (the body comes from the language model).</summary>
    public long HeadSeed { get; init; } = 42;
}
