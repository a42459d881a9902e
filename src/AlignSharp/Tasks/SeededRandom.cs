namespace AlignSharp.Tasks;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014), written out here so built-in task data is bit-identical on every
/// machine and .NET version. System.Random is not used: its documentation does not promise that a seeded
/// sequence stays the same across .NET versions. Only integer arithmetic is involved, and doubles are built
/// exactly from 53 bits, so there is no platform-dependent rounding either.
/// </summary>
public sealed class SeededRandom
{
    const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;
    ulong _state;

    /// <summary>A generator whose first output is SplitMix64's first output for <paramref name="state"/> (the reference algorithm).</summary>
    public SeededRandom(ulong state) => _state = state;

    /// <summary>
    /// An independent stream per (seed, purpose): the same seed used for, say, SFT prompts and preference pairs
    /// does not replay the same numbers in both.
    /// </summary>
    public static SeededRandom ForStream(int seed, string stream) =>
        new(StableHash.Mix64(unchecked((ulong)(long)seed)) ^ StableHash.Fnv1a64(stream));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + GoldenGamma);
        return StableHash.Mix64(_state);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), without modulo bias (rejection of the short last block).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "must be positive");
        ulong range = (ulong)bound;
        while (true)
        {
            ulong x = NextUInt64();
            ulong r = x % range;
            if (x - r <= ulong.MaxValue - (range - 1)) return (int)r;
        }
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="maxInclusive"/>].</summary>
    public int NextInt(int min, int maxInclusive)
    {
        if (maxInclusive < min) throw new ArgumentOutOfRangeException(nameof(maxInclusive), maxInclusive, $"must be ≥ min ({min})");
        long width = (long)maxInclusive - min + 1;
        if (width > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(maxInclusive), "range too wide");
        return min + NextInt((int)width);
    }

    /// <summary>Uniform in [0, 1), a multiple of 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    public T Pick<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) throw new ArgumentException("cannot pick from an empty list", nameof(items));
        return items[NextInt(items.Count)];
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
