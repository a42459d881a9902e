using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace AlignSharp.Checkpoints;

/// <summary>
/// The validated header of a safetensors file. Everything a reader later trusts (offsets inside the
/// file, sizes that match shapes, no overlaps) is checked here, before any tensor byte is touched.
/// </summary>
internal sealed record SafetensorsHeader(
    IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long DataStart,
    long DataLength)
{
    /// <summary>The reference implementation's limit; a bigger claim is treated as hostile.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>Reads and validates the header of <paramref name="file"/>, positioned anywhere.</summary>
    public static SafetensorsHeader Read(string path, FileStream file)
    {
        long fileLength = file.Length;
        if (fileLength < 8)
            throw new SafetensorsFormatException(path, $"file is {fileLength} bytes, shorter than the 8-byte header length prefix");

        Span<byte> prefix = stackalloc byte[8];
        file.Position = 0;
        file.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        // Checked before allocating anything: a hostile length must not become a huge buffer.
        if (headerLength > MaxHeaderBytes)
            throw new SafetensorsFormatException(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength > (ulong)(fileLength - 8))
            throw new SafetensorsFormatException(path, $"header length {headerLength} is larger than the {fileLength - 8} bytes after the prefix (truncated file?)");

        byte[] json = new byte[headerLength];
        file.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(path, json, dataStart, fileLength - dataStart);
    }

    static SafetensorsHeader Parse(string path, byte[] json, long dataStart, long dataLength)
    {
        if (!Utf8.IsValid(json))
            throw new SafetensorsFormatException(path, "header is not valid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(path, $"header is a JSON {root.ValueKind}, expected an object");

            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string>? metadata = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (metadata is not null)
                        throw new SafetensorsFormatException(path, $"'{MetadataKey}' appears twice");
                    metadata = ParseMetadata(path, property.Value);
                    continue;
                }
                if (tensors.ContainsKey(property.Name))
                    throw new SafetensorsFormatException(path, $"tensor '{property.Name}' appears twice in the header");
                tensors.Add(property.Name, ParseTensor(path, property.Name, property.Value, dataLength));
            }

            CheckCoverage(path, tensors.Values, dataLength);
            return new SafetensorsHeader(
                tensors.AsReadOnly(),
                metadata ?? new Dictionary<string, string>().AsReadOnly(),
                dataStart,
                dataLength);
        }
    }

    static IReadOnlyDictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind == JsonValueKind.Null)
            return metadata.AsReadOnly(); // what the reference implementation writes for "no metadata"
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, $"'{MetadataKey}' is a JSON {value.ValueKind}, expected an object of strings");
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(path, $"'{MetadataKey}' entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, expected a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafetensorsFormatException(path, $"'{MetadataKey}' entry '{entry.Name}' appears twice");
        }
        return metadata.AsReadOnly();
    }

    static SafetensorsTensorInfo ParseTensor(string path, string name, JsonElement entry, long dataLength)
    {
        SafetensorsFormatException Bad(string problem) => new(path, $"tensor '{name}': {problem}");

        if (entry.ValueKind != JsonValueKind.Object)
            throw Bad($"entry is a JSON {entry.ValueKind}, expected an object with dtype, shape and data_offsets");

        if (!entry.TryGetProperty("dtype", out JsonElement dtypeElement))
            throw Bad("missing 'dtype'");
        if (dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad($"'dtype' is a JSON {dtypeElement.ValueKind}, expected a string");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtypeName, out SafetensorsDType dtype))
            throw Bad(SafetensorsDType.IsSubByte(dtypeName)
                ? $"dtype '{dtypeName}' (sub-byte) is not supported"
                : $"unknown dtype '{dtypeName}'");

        if (!entry.TryGetProperty("shape", out JsonElement shapeElement))
            throw Bad("missing 'shape'");
        if (shapeElement.ValueKind != JsonValueKind.Array)
            throw Bad($"'shape' is a JSON {shapeElement.ValueKind}, expected an array of non-negative integers");
        var shape = new long[shapeElement.GetArrayLength()];
        int axis = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (!TryGetNonNegativeInteger(dim, out long size))
                throw Bad($"'shape'[{axis}] is {dim.GetRawText()}, expected a non-negative integer");
            shape[axis++] = size;
        }

        if (!entry.TryGetProperty("data_offsets", out JsonElement offsetsElement))
            throw Bad("missing 'data_offsets'");
        if (offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
            throw Bad($"'data_offsets' is {offsetsElement.GetRawText()}, expected [begin, end]");
        if (!TryGetNonNegativeInteger(offsetsElement[0], out long begin) || !TryGetNonNegativeInteger(offsetsElement[1], out long end))
            throw Bad($"'data_offsets' {offsetsElement.GetRawText()} must hold non-negative integers");
        if (begin > end)
            throw Bad($"'data_offsets' [{begin}, {end}] has begin after end");
        if (end > dataLength)
            throw Bad($"'data_offsets' [{begin}, {end}] reach past the {dataLength}-byte data region");

        long expectedBytes;
        try
        {
            expectedBytes = checked(shape.Aggregate(1L, (product, dim) => product * dim) * dtype.ItemSize);
        }
        catch (OverflowException)
        {
            throw Bad($"shape [{string.Join(", ", shape)}] of {dtype.Name} overflows a 64-bit byte count");
        }
        if (expectedBytes != end - begin)
            throw Bad($"shape [{string.Join(", ", shape)}] of {dtype.Name} needs {expectedBytes} bytes but data_offsets [{begin}, {end}] hold {end - begin}");

        return new SafetensorsTensorInfo(name, dtype.Name, shape, begin, end);
    }

    static bool TryGetNonNegativeInteger(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value >= 0;
    }

    /// <summary>
    /// The format requires tensors to tile the data region exactly: no overlaps (two names for the
    /// same bytes), no holes and no trailing bytes (room for a second, hidden payload).
    /// </summary>
    static void CheckCoverage(string path, IEnumerable<SafetensorsTensorInfo> tensors, long dataLength)
    {
        long covered = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (SafetensorsTensorInfo tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin < covered)
                throw new SafetensorsFormatException(path,
                    $"tensor '{tensor.Name}' at [{tensor.Begin}, {tensor.End}] overlaps tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}]");
            if (tensor.Begin > covered)
                throw new SafetensorsFormatException(path,
                    $"bytes [{covered}, {tensor.Begin}) before tensor '{tensor.Name}' belong to no tensor (the format forbids holes)");
            covered = tensor.End;
            if (tensor.End > tensor.Begin || previous is null) previous = tensor;
        }
        if (covered != dataLength)
            throw new SafetensorsFormatException(path,
                $"the data region is {dataLength} bytes but the tensors cover only {covered} (trailing bytes)");
    }
}
