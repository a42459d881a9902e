namespace AlignSharp.Training;

/// <summary>
/// The order of the examples in one epoch, a pure function of (seed, epoch): a Fisher–Yates shuffle
/// driven by SplitMix64. Nothing carries over between epochs, so a resumed run recomputes exactly the
/// order an uninterrupted one used from the recorded epoch alone. System.Random is not used: its seeded
/// sequence is not promised to stay the same across .NET versions.
/// </summary>
public static class EpochPermutation
{
    const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>A permutation of 0..<paramref name="count"/>-1 for <paramref name="epoch"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static int[] Create(int count, long seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;

        // Mixing seed and epoch separately keeps (seed, epoch + 1) and (seed + 1, epoch) unrelated streams.
        ulong state = Mix(unchecked(Mix((ulong)seed) ^ (GoldenGamma * (ulong)(epoch + 1))));
        for (int i = count - 1; i > 0; i--)
        {
            int j = NextBelow(ref state, (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    static int NextBelow(ref ulong state, ulong bound)
    {
        // Rejection of the short last block: no modulo bias.
        while (true)
        {
            state = unchecked(state + GoldenGamma);
            ulong x = Mix(state);
            ulong r = x % bound;
            if (x - r <= ulong.MaxValue - (bound - 1)) return (int)r;
        }
    }

    /// <summary>SplitMix64's output function (Steele, Lea and Flood 2014).</summary>
    static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
