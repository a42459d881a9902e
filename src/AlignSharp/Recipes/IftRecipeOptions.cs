using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="IftRecipe"/>; defaults are the official code's (algorithms.md §1).</summary>
public sealed record IftRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>γ, detached weights or not, normalisation.</summary>
    public IftOptions Ift { get; init; } = new();

    /// <summary>λ per optimizer step (min_lambda, max_lambda, lambda warmup).</summary>
    public IftLambdaSchedule Lambda { get; init; } = new();

    /// <summary>
    /// True (the official code): inputs are looked up in a frozen copy of the initial token embeddings, so the
    /// input table gets no gradient (a tied output head still trains). False: the model's live table, trained through
    /// its inputs as in SFT.
    /// </summary>
    public bool FreezeInputEmbeddings { get; init; } = true;
}
