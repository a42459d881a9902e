using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="OrpoRecipe"/>.</summary>
public sealed record OrpoRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>beta (TRL's ORPOConfig name).</summary>
    public OrpoOptions Orpo { get; init; } = new();

    /// <summary>pair_passes and pair_trim_heap: how a training step runs chosen and rejected rows (<see cref="PairStepOptions"/>).</summary>
    public PairStepOptions PairSteps { get; init; } = new();
}
