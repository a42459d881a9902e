namespace AlignSharp.Generation;

/// <summary>Finds where the first stop string starts in decoded text.</summary>
internal static class StopStrings
{
    /// <summary>Index of the earliest occurrence of any stop string, or -1.</summary>
    public static int EarliestMatch(string text, IReadOnlyList<string> stopStrings)
    {
        int earliest = -1;
        foreach (string stop in stopStrings)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (earliest < 0 || at < earliest)) earliest = at;
        }
        return earliest;
    }
}
