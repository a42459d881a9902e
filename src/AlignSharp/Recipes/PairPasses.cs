namespace AlignSharp.Recipes;

/// <summary>How a training step of a pair objective (DPO, MODPO, ORPO) runs chosen and rejected rows through the policy.</summary>
public enum PairPasses
{
    /// <summary>
    /// <see cref="PairSplitPassStep"/>: chosen rows, then rejected rows, each back-propagated on its own with the
    /// other side's log-probs as constants. The same gradient as <see cref="Concatenated"/> with the activations of
    /// one side alive at a time (an SFT step's worth), for one extra no-grad forward over the rejected rows.
    /// </summary>
    Split,

    /// <summary><see cref="PairConcatenatedPass"/>: both sides in one forward and backward: one forward fewer, twice the activations.</summary>
    Concatenated,
}

/// <summary>Config names (<c>pair_passes</c>, formerly DPO's <c>dpo_passes</c>) of <see cref="PairPasses"/>.</summary>
public static class PairPassesNames
{
    public static IReadOnlyList<string> KnownNames { get; } = ["split", "concatenated"];

    public static PairPasses Parse(string name) => name switch
    {
        "split" => PairPasses.Split,
        "concatenated" => PairPasses.Concatenated,
        _ => throw new ArgumentException($"unknown pair_passes '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this PairPasses passes) => passes switch
    {
        PairPasses.Split => "split",
        PairPasses.Concatenated => "concatenated",
        _ => throw new ArgumentOutOfRangeException(nameof(passes), passes, "unknown pair passes"),
    };
}
