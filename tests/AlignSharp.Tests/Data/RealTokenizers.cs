using System.IO.Compression;
using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>
/// Tokenizer fixture folders (tests/fixtures/tokenizers; tokenizer.json files are committed gzipped),
/// unpacked and loaded on first use, once per test class.
/// </summary>
public sealed class RealTokenizers : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("alignsharp-data-tokenizers-").FullName;
    readonly Dictionary<string, LoadedTokenizer> _loaded = new();
    readonly Lock _gate = new();

    public LoadedTokenizer Load(string family)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(family, out LoadedTokenizer? loaded)) return loaded;
            string source = Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizers", family);
            string target = Directory.CreateDirectory(Path.Combine(_root, family)).FullName;
            foreach (string file in Directory.GetFiles(source))
            {
                if (!file.EndsWith(".gz", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                    continue;
                }
                using var input = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
                using FileStream output = File.Create(Path.Combine(target, Path.GetFileNameWithoutExtension(file)));
                input.CopyTo(output);
            }
            return _loaded[family] = TokenizerFolder.Load(target);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
