using System.Text.Json.Serialization;

namespace AlignSharp.Bench;

/// <summary>
/// What one <c>recipe-memory-run</c> child measured, printed as one <c>RESULT {json}</c> line. VmHWM (peak RSS) is read
/// when training starts (model load and reference pass done), after the last step, and at the end (final save done),
/// so a peak can be placed in its phase.
/// </summary>
public sealed record RecipeMemoryResult(
    [property: JsonPropertyName("recipe")] string Recipe,
    [property: JsonPropertyName("precision")] string Precision,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("losses")] double[] Losses,
    [property: JsonPropertyName("peak_at_start_mb")] double PeakAtStartMegabytes,
    [property: JsonPropertyName("peak_after_steps_mb")] double PeakAfterStepsMegabytes,
    [property: JsonPropertyName("peak_mb")] double PeakMegabytes,
    [property: JsonPropertyName("cpu_seconds")] double CpuSeconds);
