using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="OrpoRecipe"/>.</summary>
public sealed record OrpoRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>beta (TRL's ORPOConfig name).</summary>
    public OrpoOptions Orpo { get; init; } = new();

    /// <summary>
    /// pair_passes: how a training step runs chosen and rejected rows. <see cref="PairPasses.Split"/> (default) back-propagates
    /// one side at a time, so an ORPO step holds an SFT step's activations, for one extra no-grad forward;
    /// <see cref="PairPasses.Concatenated"/> runs both in one pass (faster, about twice the activation memory). Same gradient.
    /// </summary>
    public PairPasses Passes { get; init; } = PairPasses.Split;

    /// <summary>
    /// pair_trim_heap: with <see cref="PairPasses.Split"/>, return freed native memory to the OS before each back-propagated
    /// pass (<see cref="Runtime.NativeHeap.Trim"/>); on by default, as DPO's (see <see cref="DpoRecipeOptions.TrimHeap"/> for the measurements).
    /// </summary>
    public bool TrimHeap { get; init; } = true;
}
