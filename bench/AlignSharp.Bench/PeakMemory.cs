namespace AlignSharp.Bench;

/// <summary>Resident memory of this process from /proc/self/status (Linux): VmHWM is the peak, VmRSS the current.</summary>
public static class PeakMemory
{
    public static double PeakMegabytes() => Read("VmHWM:");

    public static double CurrentMegabytes() => Read("VmRSS:");

    static double Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        foreach (string line in File.ReadLines(status))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0]) / 1024.0; // kB
        return double.NaN;
    }
}
