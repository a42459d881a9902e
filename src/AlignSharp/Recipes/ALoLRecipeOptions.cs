using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="ALoLRecipe"/>.</summary>
public sealed record ALoLRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>The variant or baseline, ε (ppo_clip), β_KL.</summary>
    public ALoLOptions Loss { get; init; } = new();

    public ALoLValueFitOptions ValueFit { get; init; } = new();

    /// <summary>Most new tokens of the reference's greedy samples that the value head is fitted to.</summary>
    public int ValueMaxNewTokens { get; init; } = 32;

    /// <summary>Rows per no-grad pass of the reference (prompt features, token log-probs, samples).</summary>
    public int ReferenceBatchSize { get; init; } = 16;
}
