using System.Text;
using System.Text.Json;
using AlignSharp.Checkpoints;

namespace AlignSharp.Training;

/// <summary>
/// <c>metrics.jsonl</c>: one JSON object per <see cref="MetricsRow"/> (<c>{"step": 10, "epoch": 0.5, "loss": ...}</c>),
/// appended and flushed row by row so a crashed run keeps its curve. Non-finite values are written as the
/// strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
/// </summary>
public sealed class MetricsJsonlLog : IDisposable
{
    public const string FileName = "metrics.jsonl";

    readonly StreamWriter _writer;

    MetricsJsonlLog(string path)
    {
        FilePath = path;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    public string FilePath { get; }

    /// <summary>
    /// Opens <c>metrics.jsonl</c> in <paramref name="outputDir"/>. A fresh run (<paramref name="resumedStep"/> null)
    /// starts an empty file. A resumed run keeps the rows up to its checkpoint's step and drops later ones,
    /// which the interrupted run wrote after that checkpoint and the resumed run is about to write again.
    /// </summary>
    public static MetricsJsonlLog Open(string outputDir, int? resumedStep)
    {
        Directory.CreateDirectory(outputDir);
        string path = Path.Combine(outputDir, FileName);
        if (resumedStep is not int step)
            AtomicFile.WriteAllText(path, "");
        else if (File.Exists(path))
        {
            var kept = File.ReadAllLines(path).Where(line => line.Length > 0 && StepOf(line) is int s && s <= step);
            AtomicFile.WriteAllText(path, string.Concat(kept.Select(line => line + "\n")));
        }
        return new MetricsJsonlLog(path);
    }

    public void Write(MetricsRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _writer.Write(Serialize(row));
        _writer.Write('\n');
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The JSON object of one row, on one line.</summary>
    public static string Serialize(MetricsRow row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", row.Step);
            WriteDouble(json, "epoch", row.Epoch);
            foreach (var (name, value) in row.Values)
            {
                if (name is "step" or "epoch") continue;
                WriteDouble(json, name, value);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a line written by <see cref="Serialize"/>.</summary>
    public static MetricsRow Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        int step = document.RootElement.GetProperty("step").GetInt32();
        double epoch = ReadDouble(document.RootElement.GetProperty("epoch"));
        var values = new Dictionary<string, double>();
        foreach (var property in document.RootElement.EnumerateObject())
            if (property.Name is not ("step" or "epoch")) values[property.Name] = ReadDouble(property.Value);
        return new MetricsRow(step, epoch, values);
    }

    static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    static double ReadDouble(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new FormatException($"'{other}' is not a metric value"),
        }
        : element.GetDouble();

    static int? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out var step) ? step.GetInt32() : null;
        }
        catch (JsonException)
        {
            return null; // a torn last line of a crashed run
        }
    }
}
