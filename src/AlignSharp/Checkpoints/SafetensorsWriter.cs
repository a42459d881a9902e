using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace AlignSharp.Checkpoints;

/// <summary>
/// Writes safetensors files the way the reference library does: a compact JSON header with
/// <c>__metadata__</c> first, padded with spaces to a multiple of 8 bytes; tensors ordered by
/// decreasing dtype alignment, then by name, with their data laid out in that same order. Together
/// these put every tensor at an offset that is a multiple of its element size.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>What transformers expects to find (it refuses files whose format is not a known framework).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultMetadata =
        new Dictionary<string, string> { ["format"] = "pt" }.AsReadOnly();

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (temporary file, then
    /// rename). Tensors may live anywhere and be non-contiguous; they are copied to contiguous CPU
    /// memory one at a time. <paramref name="metadata"/> defaults to <c>{"format": "pt"}</c>; given
    /// metadata without a "format" entry gets "pt" added, since transformers requires it.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        List<PlannedTensor> plan = Plan(tensors);
        byte[] header = HeaderBytes(plan, WithFormat(metadata));
        if (header.Length > SafetensorsHeader.MaxHeaderBytes)
            throw new ArgumentException($"the header for {plan.Count} tensors would be {header.Length} bytes, over the {SafetensorsHeader.MaxHeaderBytes}-byte limit readers enforce; split them into shards", nameof(tensors));

        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (PlannedTensor entry in plan)
                WriteData(stream, entry);
        });
    }

    /// <summary>Bytes <paramref name="tensor"/> takes in a safetensors file.</summary>
    public static long ByteLength(Tensor tensor) => ByteLength("(unnamed)", tensor);

    internal static long ByteLength(string name, Tensor tensor) =>
        checked(tensor.NumberOfElements * DTypeOf(name, tensor).ItemSize);

    sealed record PlannedTensor(string Name, Tensor Tensor, SafetensorsDType DType, long[] Shape, long Begin, long End);

    static List<PlannedTensor> Plan(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var named = new SortedDictionary<string, Tensor>(Utf8OrdinalComparer.Instance);
        foreach ((string name, Tensor tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved and cannot name a tensor", nameof(tensors));
            if (!named.TryAdd(name, tensor))
                throw new ArgumentException($"tensor name '{name}' is given twice", nameof(tensors));
        }

        var plan = new List<PlannedTensor>(named.Count);
        long offset = 0;
        var byAlignment = named
            .Select(pair => (Name: pair.Key, Tensor: pair.Value, DType: DTypeOf(pair.Key, pair.Value)))
            .OrderByDescending(entry => entry.DType.AlignmentRank); // stable: names stay sorted within a rank
        foreach ((string name, Tensor tensor, SafetensorsDType dtype) in byAlignment)
        {
            long end = checked(offset + tensor.NumberOfElements * dtype.ItemSize);
            plan.Add(new PlannedTensor(name, tensor, dtype, tensor.shape, offset, end));
            offset = end;
        }
        return plan;
    }

    static SafetensorsDType DTypeOf(string name, Tensor tensor) =>
        SafetensorsDType.ForScalarType(tensor.dtype)
        ?? throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot store");

    static IReadOnlyDictionary<string, string> WithFormat(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return DefaultMetadata;
        foreach ((string key, string value) in metadata)
            if (value is null)
                throw new ArgumentException($"metadata entry '{key}' is null; safetensors metadata values are strings", nameof(metadata));
        if (metadata.ContainsKey("format")) return metadata;
        var withFormat = new Dictionary<string, string>(metadata) { ["format"] = "pt" };
        return withFormat;
    }

    static byte[] HeaderBytes(List<PlannedTensor> plan, IReadOnlyDictionary<string, string> metadata)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(SafetensorsHeader.MetadataKey);
            foreach ((string key, string value) in metadata.OrderBy(pair => pair.Key, Utf8OrdinalComparer.Instance))
                writer.WriteString(key, value);
            writer.WriteEndObject();
            foreach (PlannedTensor entry in plan)
            {
                writer.WriteStartObject(entry.Name);
                writer.WriteString("dtype", entry.DType.Name);
                writer.WriteStartArray("shape");
                foreach (long dim in entry.Shape) writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(entry.Begin);
                writer.WriteNumberValue(entry.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Pad with spaces (valid JSON whitespace) so the data region starts 8-byte aligned.
        long padding = (8 - json.Length % 8) % 8;
        for (long i = 0; i < padding; i++) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    static void WriteData(Stream stream, PlannedTensor entry)
    {
        // A scope per tensor: the contiguous CPU copy (if one is needed) is freed before the next.
        using var scope = NewDisposeScope();
        Tensor source = entry.Tensor.detach().cpu().contiguous();
        if (source.dtype != entry.DType.ScalarType || !source.shape.SequenceEqual(entry.Shape))
            throw new InvalidOperationException($"tensor '{entry.Name}' changed while it was being written");
        long written = 0;
        TensorBytes.ForEachChunk(source, (chunk, _) =>
        {
            stream.Write(chunk);
            written += chunk.Length;
        });
        if (written != entry.End - entry.Begin)
            throw new InvalidOperationException($"tensor '{entry.Name}': wrote {written} bytes, expected {entry.End - entry.Begin}");
    }
}
