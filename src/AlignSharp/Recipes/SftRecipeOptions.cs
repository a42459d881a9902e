using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="SftRecipe"/>.</summary>
public sealed record SftRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>How the summed NLL becomes the loss; TokenMean (TRL's) by default.</summary>
    public SftNormalisation Normalisation { get; init; } = SftNormalisation.TokenMean;
}
