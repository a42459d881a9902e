namespace AlignSharp.Data;

/// <summary>
/// How <see cref="DatasetValidator"/> treats problem rows: by default any problem fails the run with
/// all problems listed (the first <see cref="MaxShown"/> in full); <see cref="SkipInvalid"/> drops them
/// and reports what was dropped.
/// </summary>
public sealed record ValidationOptions(bool SkipInvalid = false, int MaxShown = 20);
