namespace AlignSharp.Tasks;

/// <summary>
/// Assigns a prompt to <see cref="Split.Train"/> or <see cref="Split.HeldOut"/> by a stable hash of its text.
/// The split is a property of the prompt itself, not of a seed or of the order of generation, so the two splits
/// can never share a prompt, whatever seeds and counts are used.
/// </summary>
public static class PromptSplit
{
    public static Split Of(string prompt, double heldOutShare)
    {
        ValidateShare(heldOutShare);
        ulong hash = StableHash.Mix64(StableHash.Fnv1a64(prompt));
        double unit = (hash >> 11) * (1.0 / (1UL << 53));
        return unit < heldOutShare ? Split.HeldOut : Split.Train;
    }

    public static void ValidateShare(double heldOutShare)
    {
        if (!(heldOutShare > 0 && heldOutShare < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutShare), heldOutShare, "the held-out share must be strictly between 0 and 1");
    }
}
