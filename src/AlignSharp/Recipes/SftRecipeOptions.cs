using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="SftRecipe"/>.</summary>
public sealed record SftRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>How the summed NLL becomes the loss; TokenMean (TRL's) by default.</summary>
    public SftNormalisation Normalisation { get; init; } = SftNormalisation.TokenMean;

    /// <summary>
    /// packing (TRL's SFTConfig key): train on rows of several examples (up to max_length tokens, first-fit decreasing)
    /// with no attention across examples and positions restarting per example, so the loss equals the unpacked loss.
    /// Needs max_length and TokenMean normalisation.
    /// </summary>
    public bool Packing { get; init; }
}
