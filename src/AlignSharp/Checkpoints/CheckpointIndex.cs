using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignSharp.Checkpoints;

/// <summary>
/// The <c>model.safetensors.index.json</c> of a sharded checkpoint: which shard file holds each
/// tensor, and the total bytes of all tensors.
/// </summary>
internal sealed record CheckpointIndex(long? TotalSize, IReadOnlyDictionary<string, string> WeightMap)
{
    /// <summary>Far above any real index (a few MB for the largest models); a bigger file is refused unread.</summary>
    const long MaxIndexBytes = SafetensorsHeader.MaxHeaderBytes;

    public static CheckpointIndex Read(string path)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxIndexBytes)
            throw new SafetensorsFormatException(path, $"index is {length} bytes, over the {MaxIndexBytes}-byte limit");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"index is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, $"index is a JSON {root.ValueKind}, expected an object");

            long? totalSize = null;
            if (root.TryGetProperty("metadata", out JsonElement metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("total_size", out JsonElement total) && total.ValueKind == JsonValueKind.Number
                && total.TryGetInt64(out long size))
                totalSize = size;

            if (!root.TryGetProperty("weight_map", out JsonElement map))
                throw new SafetensorsFormatException(path, "index has no 'weight_map'");
            if (map.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, $"'weight_map' is a JSON {map.ValueKind}, expected an object of tensor name to shard file");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new SafetensorsFormatException(path, $"'weight_map' entry for tensor '{entry.Name}' is a JSON {entry.Value.ValueKind}, expected a file name");
                string shard = entry.Value.GetString()!;
                // Shards live in the checkpoint folder; a path elsewhere is a mistake or an attack.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                    throw new SafetensorsFormatException(path, $"'weight_map' entry for tensor '{entry.Name}' names '{shard}', which is not a file name in the checkpoint folder");
                if (!weightMap.TryAdd(entry.Name, shard))
                    throw new SafetensorsFormatException(path, $"'weight_map' lists tensor '{entry.Name}' twice");
            }
            return new CheckpointIndex(totalSize, weightMap.AsReadOnly());
        }
    }

    /// <summary>The bytes Hugging Face writes: json.dumps(index, indent=2, sort_keys=True) + "\n".</summary>
    public byte[] ToJsonBytes()
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            if (TotalSize is { } total) writer.WriteNumber("total_size", total);
            writer.WriteEndObject();
            writer.WriteStartObject("weight_map");
            foreach ((string name, string shard) in WeightMap.OrderBy(pair => pair.Key, Utf8OrdinalComparer.Instance))
                writer.WriteString(name, shard);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        stream.Write("\n"u8);
        return stream.ToArray();
    }
}
