using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="DpoRecipe"/>.</summary>
public sealed record DpoRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>beta, loss_type, label_smoothing (TRL's DPOConfig names).</summary>
    public DpoOptions Dpo { get; init; } = new();

    /// <summary>ref_model: the reference model folder; null means the starting policy itself (TRL's default).</summary>
    public string? ReferenceModel { get; init; }

    /// <summary>Pairs per batch of the reference pass (no gradients, so larger than the training batch is fine).</summary>
    public int ReferenceBatchSize { get; init; } = 16;

    /// <summary>pair_passes and pair_trim_heap: how a training step runs chosen and rejected rows (<see cref="PairStepOptions"/>).</summary>
    public PairStepOptions PairSteps { get; init; } = new();
}
