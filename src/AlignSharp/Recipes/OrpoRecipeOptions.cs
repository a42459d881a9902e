using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="OrpoRecipe"/>.</summary>
public sealed record OrpoRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>beta (TRL's ORPOConfig name).</summary>
    public OrpoOptions Orpo { get; init; } = new();
}
