namespace AlignSharp.Recipes;

/// <summary>How a DPO training step runs chosen and rejected rows through the policy.</summary>
public enum DpoPasses
{
    /// <summary>
    /// <see cref="DpoSplitPassStep"/>: chosen rows, then rejected rows, each back-propagated on its own with the
    /// other side's log-probs as constants. The same gradient as <see cref="Concatenated"/> with the activations of
    /// one side alive at a time (an SFT step's worth), for one extra no-grad forward over the rejected rows.
    /// </summary>
    Split,

    /// <summary><see cref="DpoConcatenatedPass"/>: both sides in one forward and backward: one forward fewer, twice the activations.</summary>
    Concatenated,
}

/// <summary>Config names (<c>dpo_passes</c>) of <see cref="DpoPasses"/>.</summary>
public static class DpoPassesNames
{
    public static IReadOnlyList<string> KnownNames { get; } = ["split", "concatenated"];

    public static DpoPasses Parse(string name) => name switch
    {
        "split" => DpoPasses.Split,
        "concatenated" => DpoPasses.Concatenated,
        _ => throw new ArgumentException($"unknown dpo_passes '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this DpoPasses passes) => passes switch
    {
        DpoPasses.Split => "split",
        DpoPasses.Concatenated => "concatenated",
        _ => throw new ArgumentOutOfRangeException(nameof(passes), passes, "unknown DPO passes"),
    };
}
