using AlignSharp.Data;
using Parquet.Serialization;

namespace AlignSharp.Tests.Data;

public sealed class ParquetDatasetTests : IDisposable
{
    readonly DataTestFolder _files = new();

    public void Dispose() => _files.Dispose();

    // Parquet.Net maps these classes to columns by property name (TRL's lowercase names).
#pragma warning disable IDE1006
    public sealed class Message
    {
        public string? role { get; set; }
        public string? content { get; set; }
    }

    public sealed class ConversationalPair
    {
        public List<Message>? prompt { get; set; }
        public List<Message>? chosen { get; set; }
        public List<Message>? rejected { get; set; }
    }

    public sealed class TextRow
    {
        public string? prompt { get; set; }
        public string? completion { get; set; }
        public double reward { get; set; }
    }

    public sealed class NumericCompletion
    {
        public string? prompt { get; set; }
        public int completion { get; set; }
    }
#pragma warning restore IDE1006

    static List<Message> Messages(params (string Role, string Content)[] turns) =>
        turns.Select(t => new Message { role = t.Role, content = t.Content }).ToList();

    string Write<T>(string name, IEnumerable<T> rows)
    {
        string path = _files.PathOf(name);
        ParquetSerializer.SerializeAsync(rows, path).GetAwaiter().GetResult();
        return path;
    }

    [Fact]
    public void ConversationalPreferenceParquetReadsAsTheSameRowsAsJsonl()
    {
        string parquet = Write("pairs.parquet", new[]
        {
            new ConversationalPair { prompt = Messages(("system", "S"), ("user", "Q1")), chosen = Messages(("assistant", "good")), rejected = Messages(("assistant", "bad")) },
            new ConversationalPair { prompt = Messages(("user", "Q2 é😀")), chosen = Messages(("assistant", "yes")), rejected = Messages(("assistant", "")) },
        });
        string jsonl = _files.Jsonl("pairs.jsonl",
            """{"prompt":[{"role":"system","content":"S"},{"role":"user","content":"Q1"}],"chosen":[{"role":"assistant","content":"good"}],"rejected":[{"role":"assistant","content":"bad"}]}""",
            """{"prompt":[{"role":"user","content":"Q2 é😀"}],"chosen":[{"role":"assistant","content":"yes"}],"rejected":[{"role":"assistant","content":""}]}""");

        LoadedDataset fromParquet = DatasetReader.Read(parquet);
        LoadedDataset fromJsonl = DatasetReader.Read(jsonl);
        Assert.Equal(DatasetFormat.Preference, fromParquet.Format);
        Assert.Equal([1L, 2L], fromParquet.Rows.Select(r => r.Source.Line)); // Parquet rows are numbered like lines
        Assert.Equal(fromJsonl.Rows.Select(r => r with { Source = default }), fromParquet.Rows.Select(r => r with { Source = default }));
    }

    [Fact]
    public void ScoredParquetKeepsNonFiniteRewardsForTheValidator()
    {
        string path = Write("scored.parquet", new[]
        {
            new TextRow { prompt = "p", completion = "c", reward = 0.5 },
            new TextRow { prompt = "p", completion = "d", reward = double.NaN },
        });
        LoadedDataset data = DatasetReader.Read(path);
        Assert.Equal(DatasetFormat.Scored, data.Format);
        Assert.Equal(0.5, ((ScoredRow)data.Rows[0]).Reward);
        Assert.True(double.IsNaN(((ScoredRow)data.Rows[1]).Reward));
    }

    [Fact]
    public void WrongColumnTypeNamesFileRowColumnAndParquetType()
    {
        string path = Write("numbers.parquet", new[] { new NumericCompletion { prompt = "p", completion = 4 } });
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Equal((1L, "completion"), (error.Line, error.Column));
        Assert.Contains("found Number (Parquet column type Int32)", error.Message);
    }

    [Fact]
    public void AFileThatIsNotParquetIsAClearError()
    {
        string path = _files.Jsonl("fake.parquet", """{"prompt":"p","completion":"c"}""");
        var error = Assert.Throws<DataFormatException>(() => DatasetReader.Read(path));
        Assert.Contains("fake.parquet", error.Message);
        Assert.Contains("cannot read as Parquet", error.Message);
    }
}
