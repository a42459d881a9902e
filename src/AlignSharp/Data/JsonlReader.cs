using System.Text;
using System.Text.Json;

namespace AlignSharp.Data;

/// <summary>
/// Reads JSON Lines strictly: every non-blank line must be valid UTF-8 holding one JSON object.
/// A bad line is an error naming the file and line, never a silently skipped row.
/// </summary>
public static class JsonlReader
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads all rows of <paramref name="path"/> (blank lines are allowed and ignored).</summary>
    public static IEnumerable<JsonlRow> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        using FileStream stream = File.OpenRead(path);
        long lineNumber = 0;
        foreach (byte[] lineBytes in SplitLines(stream))
        {
            lineNumber++;
            string text;
            try { text = StrictUtf8.GetString(lineBytes); }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(path, lineNumber, $"not valid UTF-8 (bad byte at offset {e.Index} of the line)", inner: e);
            }
            if (lineNumber == 1 && text.Length > 0 && text[0] == '\uFEFF') text = text[1..]; // tolerate a BOM
            if (string.IsNullOrWhiteSpace(text)) continue;

            JsonElement value;
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                value = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new DataFormatException(path, lineNumber, $"not valid JSON ({e.Message})", inner: e);
            }
            if (value.ValueKind != JsonValueKind.Object)
                throw new DataFormatException(path, lineNumber, $"expected a JSON object, found {value.ValueKind}");
            yield return new JsonlRow(path, lineNumber, value);
        }
    }

    /// <summary>Splits on '\n' (a trailing '\r' is dropped) without decoding, so decoding errors can name the line.</summary>
    static IEnumerable<byte[]> SplitLines(Stream stream)
    {
        var line = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                line.Write(buffer, start, i - start);
                yield return TrimCarriageReturn(line.ToArray());
                line.SetLength(0);
                start = i + 1;
            }
            line.Write(buffer, start, read - start);
        }
        if (line.Length > 0) yield return TrimCarriageReturn(line.ToArray());
    }

    static byte[] TrimCarriageReturn(byte[] line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
