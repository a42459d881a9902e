using System.IO.Compression;
using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>The Qwen3 tokenizer fixture (tokenizer.json is committed gzipped), unpacked and loaded once for the data tests.</summary>
public sealed class Qwen3Fixture : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("alignsharp-data-qwen3-").FullName;

    public Qwen3Fixture()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizers", "qwen3");
        File.Copy(Path.Combine(source, "tokenizer_config.json"), Path.Combine(_folder, "tokenizer_config.json"));
        using (var input = new GZipStream(File.OpenRead(Path.Combine(source, "tokenizer.json.gz")), CompressionMode.Decompress))
        using (var output = File.Create(Path.Combine(_folder, "tokenizer.json")))
            input.CopyTo(output);
        Loaded = TokenizerFolder.Load(_folder);
    }

    public LoadedTokenizer Loaded { get; }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
