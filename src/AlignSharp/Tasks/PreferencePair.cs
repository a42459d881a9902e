using System.Text.Json.Serialization;

namespace AlignSharp.Tasks;

/// <summary>A preference pair in TRL's layout: <c>{"prompt": ..., "chosen": ..., "rejected": ...}</c>; chosen and rejected are completions.</summary>
public sealed record PreferencePair(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("chosen")] string Chosen,
    [property: JsonPropertyName("rejected")] string Rejected);
