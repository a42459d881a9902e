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
    /// False (the default, the paper's E(·)): inputs are looked up in the model's live token table, which trains through
    /// them as in SFT. True (the official code's frozen <c>embed_tokens</c> copy): a frozen copy of the initial table, so the
    /// input table gets no gradient. Refused for tied-embedding models: their head trains the shared table while training
    /// reads the frozen copy, so the saved model (whose inputs use the trained table) is not the model that was trained; the
    /// ift-lm experiment measured this from scratch as held-out NLL 3.26 vs 0.25 for SFT (algorithms.md §1 pitfall 2).
    /// </summary>
    public bool FreezeInputEmbeddings { get; init; }
}
