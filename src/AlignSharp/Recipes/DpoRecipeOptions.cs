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

    /// <summary>
    /// pair_passes (formerly dpo_passes, still accepted): how a training step runs chosen and rejected rows.
    /// <see cref="PairPasses.Split"/> (default) back-propagates one side at a time, so a DPO step holds an SFT step's
    /// activations, for one extra no-grad forward; <see cref="PairPasses.Concatenated"/> runs both in one pass (faster,
    /// about twice the activation memory). Same gradient.
    /// </summary>
    public PairPasses Passes { get; init; } = PairPasses.Split;

    /// <summary>
    /// pair_trim_heap (formerly dpo_trim_heap, still accepted): with <see cref="PairPasses.Split"/>, return freed native memory to the OS before each back-propagated
    /// pass (<see cref="Runtime.NativeHeap.Trim"/>). On by default: without it glibc's fragmented heap keeps the previous
    /// pass's pages and a split step peaked at 1.26–1.4x an SFT step (bench/README.md), which defeats the point of splitting;
    /// with it the peak is about SFT's, for roughly 0.5 s of CPU per trim at the bench's reference size (two per micro-batch).
    /// Turn it off when memory is not the limit, or choose <see cref="PairPasses.Concatenated"/>.
    /// </summary>
    public bool TrimHeap { get; init; } = true;
}
