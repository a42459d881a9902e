using System.Text.Json.Serialization;

namespace AlignSharp.Tasks;

/// <summary>An SFT demonstration in TRL's prompt–completion layout: <c>{"prompt": ..., "completion": ...}</c>.</summary>
public sealed record SftExample(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("completion")] string Completion);
