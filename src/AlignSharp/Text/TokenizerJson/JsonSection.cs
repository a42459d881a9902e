using System.Text.Json;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>A JSON value plus where it came from, so every read can fail with the file and JSON path.</summary>
internal readonly record struct JsonSection(JsonElement Element, string FilePath, string Path)
{
    public JsonValueKind Kind => Element.ValueKind;

    public bool IsNull => Element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    public TokenizerLoadException Error(string problem) => new(FilePath, Path, problem);

    public JsonSection? Optional(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value)
            && value.ValueKind != JsonValueKind.Null
            ? new JsonSection(value, FilePath, $"{Path}.{name}")
            : null;

    public JsonSection Required(string name) =>
        Optional(name) ?? throw Error($"missing required property \"{name}\"");

    public string String(string name) => Required(name).AsString();

    public string? OptionalString(string name) => Optional(name)?.AsString();

    public bool Bool(string name, bool fallback) => Optional(name)?.AsBool() ?? fallback;

    public string AsString() =>
        Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error($"expected a string, found {Element.ValueKind}");

    public bool AsBool() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error($"expected true or false, found {Element.ValueKind}"),
    };

    public int AsInt() =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var value)
            ? value : throw Error($"expected an integer, found {Element.ValueKind}");

    public IEnumerable<JsonSection> Items()
    {
        if (Element.ValueKind != JsonValueKind.Array) throw Error($"expected an array, found {Element.ValueKind}");
        var index = 0;
        foreach (var item in Element.EnumerateArray()) yield return new JsonSection(item, FilePath, $"{Path}[{index++}]");
    }

    public IEnumerable<(string Name, JsonSection Value)> Properties()
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Error($"expected an object, found {Element.ValueKind}");
        foreach (var property in Element.EnumerateObject())
            yield return (property.Name, new JsonSection(property.Value, FilePath, $"{Path}[\"{property.Name}\"]"));
    }

    /// <summary>The "type" discriminator of a component (normalizer, pre-tokenizer, ...).</summary>
    public string TypeName => String("type");
}
