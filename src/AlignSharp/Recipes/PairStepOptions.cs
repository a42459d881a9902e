namespace AlignSharp.Recipes;

/// <summary>
/// How a training step of a pair recipe (DPO, MODPO, ORPO) runs chosen and rejected rows: AlignSharp's memory settings,
/// one record for the three (YAML <c>pair_passes</c> and <c>pair_trim_heap</c>; DPO also reads its older names
/// <c>dpo_passes</c>, <c>dpo_trim_heap</c>).
/// </summary>
/// <param name="Passes">
/// <see cref="PairPasses.Split"/> (default) back-propagates one side at a time, so a step holds an SFT step's
/// activations, for one extra no-grad forward; <see cref="PairPasses.Concatenated"/> runs both in one pass (faster,
/// about twice the activation memory). Same gradient.
/// </param>
/// <param name="TrimHeap">
/// With <see cref="PairPasses.Split"/>: return freed native memory to the OS before each back-propagated pass
/// (<see cref="Runtime.NativeHeap.Trim"/>). On by default: without it glibc's fragmented heap keeps the previous pass's
/// pages, and the DPO recipe's split step peaked at 1.17–1.24x an SFT step's memory against 0.98–1.03x with it
/// (bench/README.md, <c>recipe-memory</c>), for a CPU cost that varied from none measurable to ~1.3 s a step at the
/// bench's reference size. Turn it off when memory is not the limit, or choose <see cref="PairPasses.Concatenated"/>.
/// </param>
public sealed record PairStepOptions(PairPasses Passes = PairPasses.Split, bool TrimHeap = true)
{
    /// <summary>For the run's log: the passes and, when split, whether the heap is trimmed.</summary>
    public string Describe() => Passes.ToName() + (Passes == PairPasses.Split ? $" (heap trim {(TrimHeap ? "on" : "off")})" : "");
}
