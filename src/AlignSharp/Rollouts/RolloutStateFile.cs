using System.Text.Json;
using System.Text.Json.Serialization;
using AlignSharp.Checkpoints;

namespace AlignSharp.Rollouts;

/// <summary>
/// <c>rollout_state.json</c> of a checkpoint: the rollout arithmetic and seed the run was sampled with (checked on
/// resume) and, when the checkpoint falls part-way through a generation, that generation's prepared examples, so the
/// resumed run trains on exactly the completions the uninterrupted one would have. Floats are written as the shortest
/// text that reads back to the same bits.
/// </summary>
public static class RolloutStateFile
{
    public sealed record State(int Generation, int PromptsPerGeneration, int NumGenerations, int UpdatesPerGeneration, int Seed, RolloutBuffer? Buffer);

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(string path, State state) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(state, Json) + "\n");

    public static State Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: the checkpoint has no rollout state to resume an online run from", path);
        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds null, not a rollout state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid rollout state: {e.Message}", e);
        }
    }
}
