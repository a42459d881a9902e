namespace AlignSharp.Training;

/// <summary>How a completed run ended.</summary>
/// <param name="GlobalStep">Optimizer steps completed.</param>
/// <param name="Epoch">Fractional epoch reached.</param>
/// <param name="LastCheckpoint">The newest checkpoint folder, or null when none was written.</param>
/// <param name="LogHistory">Every metrics row of the run, including those before a resume.</param>
public sealed record TrainingResult(int GlobalStep, double Epoch, string? LastCheckpoint, IReadOnlyList<MetricsRow> LogHistory);
