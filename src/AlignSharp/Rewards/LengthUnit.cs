namespace AlignSharp.Rewards;

/// <summary>How <see cref="LengthReward"/> measures a completion.</summary>
public enum LengthUnit
{
    /// <summary>Unicode scalar values (an emoji or an accented letter counts once, whatever its UTF-16 or UTF-8 size).</summary>
    Characters,

    /// <summary>Maximal runs of non-whitespace characters.</summary>
    Words,
}
