using AlignSharp.Data;

namespace AlignSharp.Tests.Data;

public sealed class JsonlReaderTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-jsonl-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsRowsWithLineNumbersSkippingBlankLines()
    {
        string path = WriteBytes("ok.jsonl", "{\"prompt\":\"a\",\"completion\":\"b\"}\r\n\n{\"prompt\":\"é\",\"completion\":\"😀\"}"u8.ToArray());
        var rows = JsonlReader.Read(path).ToList();
        Assert.Equal(new long[] { 1, 3 }, rows.Select(r => r.Line));
        Assert.Equal("é", rows[1].GetString("prompt"));
        Assert.Equal("😀", rows[1].GetString("completion"));
    }

    [Fact]
    public void NonUtf8LineIsAnErrorNamingFileAndLine()
    {
        byte[] bytes = [.. "{\"prompt\":\"a\"}\n"u8.ToArray(), .. "{\"prompt\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}\n"u8.ToArray()];
        string path = WriteBytes("bad.jsonl", bytes);
        var error = Assert.Throws<DataFormatException>(() => JsonlReader.Read(path).ToList());
        Assert.Equal(2, error.Line);
        Assert.Contains("bad.jsonl:2", error.Message);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void InvalidJsonAndNonObjectsAreErrors()
    {
        string broken = WriteBytes("broken.jsonl", "{\"prompt\":\"a\"}\n{\"prompt\": \n"u8.ToArray());
        Assert.Contains("broken.jsonl:2: not valid JSON", Assert.Throws<DataFormatException>(() => JsonlReader.Read(broken).ToList()).Message);
        string array = WriteBytes("array.jsonl", "[1,2]\n"u8.ToArray());
        Assert.Contains("expected a JSON object", Assert.Throws<DataFormatException>(() => JsonlReader.Read(array).ToList()).Message);
    }

    [Fact]
    public void MissingOrWrongTypedColumnNamesTheColumn()
    {
        string path = WriteBytes("cols.jsonl", "{\"prompt\":\"a\",\"completion\":3}\n"u8.ToArray());
        JsonlRow row = JsonlReader.Read(path).Single();
        var missing = Assert.Throws<DataFormatException>(() => row.GetString("chosen"));
        Assert.Contains("column \"chosen\": missing", missing.Message);
        Assert.Contains("prompt, completion", missing.Message);
        var wrong = Assert.Throws<DataFormatException>(() => row.GetString("completion"));
        Assert.Contains("expected a string, found Number", wrong.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(_folder, "nope.jsonl");
        var error = Assert.Throws<FileNotFoundException>(() => JsonlReader.Read(path).ToList());
        Assert.Contains("nope.jsonl", error.Message);
    }

    [Fact]
    public void WriterIsAtomicAndRoundTrips()
    {
        string path = Path.Combine(_folder, "out", "o.jsonl");
        using (var writer = new JsonlWriter(path))
        {
            writer.Write(new { logprob = -1.5, tokens = 3 });
            Assert.False(File.Exists(path)); // nothing visible before commit
            writer.Commit();
        }
        JsonlRow row = JsonlReader.Read(path).Single();
        Assert.Equal(-1.5, row.Value.GetProperty("logprob").GetDouble());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }
}
