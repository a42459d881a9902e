using AlignSharp.Objectives;

namespace AlignSharp.Recipes;

/// <summary>Settings of <see cref="ModpoRecipe"/>.</summary>
public sealed record ModpoRecipeOptions
{
    public RecipeOptions Common { get; init; } = new();

    /// <summary>beta, loss_type (sigmoid or hinge) and weights (w_k first, then one per margin scorer).</summary>
    public ModpoOptions Modpo { get; init; } = new();

    /// <summary>
    /// margin_scorers: one spec per other objective, in the order of <see cref="ModpoOptions.Weights"/>[1..]
    /// (see <see cref="ModpoMarginScorers"/> for the spellings).
    /// </summary>
    public IReadOnlyList<string> MarginScorers { get; init; } = [];

    /// <summary>margin_beta: β of implicit-DPO margin scorers; null means <see cref="ModpoOptions.Beta"/> (the official code's choice).</summary>
    public double? MarginBeta { get; init; }

    /// <summary>ref_model: the reference model folder; null means the starting policy itself.</summary>
    public string? ReferenceModel { get; init; }

    /// <summary>Pairs per batch of the pre-training pass (no gradients).</summary>
    public int ReferenceBatchSize { get; init; } = 16;

    /// <summary>pair_passes and pair_trim_heap: how a training step runs chosen and rejected rows (<see cref="PairStepOptions"/>).</summary>
    public PairStepOptions PairSteps { get; init; } = new();
}
