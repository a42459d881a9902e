using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignSharp.Bench;

/// <summary>
/// What one child process measured for one configuration, printed as a single <c>RESULT {json}</c> line
/// by both this bench and bench/reference/train_step.py (same field names). Step seconds are wall
/// time; CPU seconds and the forward/backward/optimizer phases are process CPU time.
/// </summary>
public sealed record TrainRunResult(
    [property: JsonPropertyName("implementation")] string Implementation,
    [property: JsonPropertyName("objective")] string Objective,
    [property: JsonPropertyName("precision")] string Precision,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("tokens_per_step")] int TokensPerStep,
    [property: JsonPropertyName("step_seconds")] double[] StepSeconds,
    [property: JsonPropertyName("cpu_seconds")] double[] CpuSeconds,
    [property: JsonPropertyName("forward_seconds")] double[] ForwardSeconds,
    [property: JsonPropertyName("backward_seconds")] double[] BackwardSeconds,
    [property: JsonPropertyName("optimizer_seconds")] double[] OptimizerSeconds,
    [property: JsonPropertyName("losses")] double[] Losses,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMegabytes,
    [property: JsonPropertyName("rss_before_steps_mb")] double RssBeforeStepsMegabytes)
{
    [JsonIgnore]
    public double TokensPerSecond => TokensPerStep / Median(StepSeconds);

    /// <summary>Tokens per second of process CPU time: less sensitive to other processes on a loaded machine (one thread).</summary>
    [JsonIgnore]
    public double TokensPerCpuSecond => TokensPerStep / Median(CpuSeconds);

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
