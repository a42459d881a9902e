using System.Text.Json;
using AlignSharp.Checkpoints;

namespace AlignSharp.Evaluation;

/// <summary>Evaluations as an indented JSON file (every sample included), written atomically and read back.</summary>
public static class EvaluationReportFile
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string path, IReadOnlyList<PolicyEvaluation> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(evaluations, Json) + "\n");
    }

    public static IReadOnlyList<PolicyEvaluation> Read(string path) =>
        JsonSerializer.Deserialize<PolicyEvaluation[]>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: no evaluations");
}
