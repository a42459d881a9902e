using System.Text.Json;
using System.Text.Json.Serialization;
using AlignSharp.Checkpoints;

namespace AlignSharp.Training;

/// <summary>
/// <c>trainer_state.json</c> of a checkpoint: everything besides tensors that a resumed run needs to
/// continue the same curve (step, data position, schedule position, the logging window) plus the metric
/// history. Keys are snake_case, like transformers' file of the same name.
/// </summary>
public sealed record TrainerState
{
    public const string FileName = "trainer_state.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    /// <summary>Optimizer steps completed.</summary>
    public int GlobalStep { get; init; }

    /// <summary>Fractional epoch after <see cref="GlobalStep"/> steps.</summary>
    public double Epoch { get; init; }

    /// <summary>Steps the run was planned for (the schedule's length).</summary>
    public int MaxSteps { get; init; }

    public int NumTrainExamples { get; init; }

    public int TrainBatchSize { get; init; }

    public int GradientAccumulationSteps { get; init; }

    /// <summary>The run's seed: with the epoch it determines the data order (<see cref="EpochPermutation"/>).</summary>
    public int Seed { get; init; }

    /// <summary>Where the next step reads.</summary>
    public required DataPosition DataPosition { get; init; }

    public required string LrSchedulerType { get; init; }

    public int WarmupSteps { get; init; }

    /// <summary>Parameter names of each optimizer group, in order; the optimizer state file is positional.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> OptimizerParameterNames { get; init; }

    /// <summary>Steps since the last metrics row, continued on resume.</summary>
    public required LoggingWindow LoggingWindow { get; init; }

    /// <summary>Every metrics row so far (training and evaluation).</summary>
    public required IReadOnlyList<MetricsRow> LogHistory { get; init; }

    public void Save(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    public static TrainerState Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: '{folder}' is not a training checkpoint", path);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} holds null, not a trainer state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid trainer state: {e.Message}", e);
        }
    }
}
