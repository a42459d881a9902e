using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignSharp.Training;

/// <summary>
/// A <see cref="MetricsRow"/> as one flat JSON object (<c>{"step": 10, "epoch": 0.5, "loss": ...}</c>), the same
/// in <c>metrics.jsonl</c> and in <c>trainer_state.json</c>'s <c>log_history</c>, as transformers writes it.
/// </summary>
public sealed class MetricsRowJsonConverter : JsonConverter<MetricsRow>
{
    public override MetricsRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return MetricsJsonlLog.Parse(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, MetricsRow value, JsonSerializerOptions options) =>
        writer.WriteRawValue(MetricsJsonlLog.Serialize(value));
}
