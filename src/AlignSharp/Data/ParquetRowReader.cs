using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace AlignSharp.Data;

/// <summary>
/// Reads a Parquet file as the same raw rows a JSONL file gives (one JSON object per row, 1-based row
/// numbers in place of line numbers), so one parser serves both. Lists of structs (TRL message lists)
/// become arrays of objects; null cells become JSON nulls; non-finite floats become the strings
/// "NaN"/"Infinity"/"-Infinity" (JSON has no such numbers) for the validator to report.
/// </summary>
internal static class ParquetRowReader
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Top-level column names with their Parquet types, for layout detection and error messages.</summary>
    public static IReadOnlyDictionary<string, string> ColumnTypes(ParquetSchema schema) =>
        schema.Fields.ToDictionary(f => f.Name, DescribeType, StringComparer.Ordinal);

    public static (IReadOnlyDictionary<string, string> ColumnTypes, IEnumerable<JsonlLine> Lines) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        DeserializationResult<Dictionary<string, object>> result;
        try
        {
            using FileStream stream = File.OpenRead(path);
            // Sync over async is safe here: the library has no synchronisation context to deadlock on.
            result = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ParquetException or IOException or InvalidDataException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new DataFormatException(path, 0, $"cannot read as Parquet ({e.Message})", inner: e);
        }
        IReadOnlyDictionary<string, string> types = ColumnTypes(result.Schema);
        string[] columns = result.Schema.Fields.Select(f => f.Name).ToArray();
        return (types, result.Data.Select((row, index) => ToLine(path, index + 1, columns, row)));
    }

    static JsonlLine ToLine(string path, long rowNumber, string[] columns, Dictionary<string, object> row)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (string column in columns)
            {
                writer.WritePropertyName(column);
                try { WriteValue(writer, row.GetValueOrDefault(column)); }
                catch (DecoderFallbackException e)
                {
                    return new JsonlLine(null, new DataFormatException(path, rowNumber, "binary value is not valid UTF-8 text", column, e));
                }
            }
            writer.WriteEndObject();
        }
        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        return new JsonlLine(new JsonlRow(path, rowNumber, document.RootElement.Clone()), null);
    }

    static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case ReadOnlyMemory<char> chars: writer.WriteStringValue(chars.Span); break;
            case byte[] bytes: writer.WriteStringValue(StrictUtf8.GetString(bytes)); break;
            case ReadOnlyMemory<byte> bytes: writer.WriteStringValue(StrictUtf8.GetString(bytes.Span)); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case double number: WriteFloat(writer, number); break;
            case float number: WriteFloat(writer, number); break;
            case decimal number: writer.WriteNumberValue(number); break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong number: writer.WriteNumberValue(number); break;
            case IDictionary<string, object> fields:
                writer.WriteStartObject();
                foreach (var (name, field) in fields)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, field);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    static void WriteFloat(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number)) writer.WriteNumberValue(number);
        else writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
    }

    static string DescribeType(Field field) => field switch
    {
        DataField data when data.ClrType == typeof(ReadOnlyMemory<char>) || data.ClrType == typeof(string) => "string",
        DataField data => data.ClrType.Name,
        ListField => "list",
        StructField => "struct",
        MapField => "map",
        _ => field.SchemaType.ToString(),
    };
}
