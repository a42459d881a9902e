using System.Text;

namespace AlignSharp.Tasks;

/// <summary>
/// Hashes that are the same on every machine, process and .NET version (string.GetHashCode is randomised
/// per process, so it must never decide a data split or a seed).
/// </summary>
public static class StableHash
{
    /// <summary>64-bit FNV-1a over the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }

    /// <summary>The SplitMix64 finaliser: spreads every input bit over the whole output (FNV alone mixes its high bits poorly).</summary>
    public static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
