using System.Text.Json;

namespace AlignSharp.Data;

/// <summary>One JSON object read from a JSONL file, with where it came from (for error messages).</summary>
public sealed record JsonlRow(string File, long Line, JsonElement Value)
{
    /// <summary>A required string column; a clear error naming file, line and column otherwise.</summary>
    public string GetString(string column)
    {
        if (!Value.TryGetProperty(column, out JsonElement element))
            throw new DataFormatException(File, Line, $"missing (the row has: {string.Join(", ", ColumnNames())})", column);
        if (element.ValueKind != JsonValueKind.String)
            throw new DataFormatException(File, Line, $"expected a string, found {element.ValueKind}", column);
        return element.GetString()!;
    }

    /// <summary>True when the row has the column (any type).</summary>
    public bool Has(string column) => Value.TryGetProperty(column, out _);

    public IEnumerable<string> ColumnNames() => Value.EnumerateObject().Select(p => p.Name);
}
