namespace AlignSharp.Tasks;

/// <summary>Argument checks and the low-quality mask shared by the built-in tasks.</summary>
static class DemonstrationMix
{
    /// <summary>
    /// A mask with exactly round(count · share) true entries (half away from zero) at random positions, so the
    /// requested share holds exactly rather than only in expectation.
    /// </summary>
    public static bool[] LowQualityMask(int count, double lowQualityShare, SeededRandom random)
    {
        int lowCount = (int)Math.Round(count * lowQualityShare, MidpointRounding.AwayFromZero);
        var mask = new bool[count];
        for (int i = 0; i < lowCount; i++) mask[i] = true;
        random.Shuffle(mask);
        return mask;
    }

    public static void ValidateCount(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of rows must be ≥ 0");
    }

    public static void ValidateShare(double lowQualityShare)
    {
        if (!(lowQualityShare >= 0 && lowQualityShare <= 1))
            throw new ArgumentOutOfRangeException(nameof(lowQualityShare), lowQualityShare, "the low-quality share must be between 0 and 1");
    }

    public static void ValidateSplit(Split split)
    {
        if (!Enum.IsDefined(split)) throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split");
    }
}
