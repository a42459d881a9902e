using System.Diagnostics;

namespace AlignSharp.Bench;

/// <summary>Process CPU time since creation. On a shared machine wall time mostly measures the other
/// processes; with one libtorch thread, CPU time is the work this process did.</summary>
public sealed class CpuClock
{
    readonly double _start = Now();

    public double Seconds => Now() - _start;

    public static double Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}
