using System.IO.Compression;
using System.Text.Json;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>
/// The committed tokenizer fixtures (tests/fixtures/tokenizers), unpacked once per test run into a
/// temporary folder (tokenizer.json files are committed gzipped), plus the golden ids from make_golden.mjs.
/// </summary>
public sealed class TokenizerFixtures : IDisposable
{
    private readonly Dictionary<string, LoadedTokenizer> _loaded = new();
    private readonly Lock _gate = new();

    public TokenizerFixtures()
    {
        Root = Path.Combine(Path.GetTempPath(), "alignsharp-tokenizer-fixtures-" + Guid.NewGuid().ToString("N"));
        var source = Path.Combine(AppContext.BaseDirectory, "fixtures", "tokenizers");
        foreach (var directory in Directory.GetDirectories(source))
        {
            var target = Path.Combine(Root, Path.GetFileName(directory));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(directory))
            {
                if (file.EndsWith(".gz", StringComparison.Ordinal))
                {
                    using var input = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
                    using var output = File.Create(Path.Combine(target, Path.GetFileNameWithoutExtension(file)));
                    input.CopyTo(output);
                }
                else File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
        foreach (var patchFile in Directory.GetFiles(Root, "tokenizer.patch.json", SearchOption.AllDirectories))
            ApplyPatch(patchFile);
        using var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(source, "golden.json")));
        Texts = golden.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Golden = golden.RootElement.GetProperty("families").EnumerateObject().ToDictionary(
            f => f.Name,
            f => new GoldenIds(
                f.Value.TryGetProperty("texts", out var own) ? own.EnumerateArray().Select(t => t.GetString()!).ToArray() : Texts.ToArray(),
                ReadIdLists(f.Value, "ids"), ReadIdLists(f.Value, "ids_with_special"),
                f.Value.TryGetProperty("gpt3_encoder_ids", out _) ? ReadIdLists(f.Value, "gpt3_encoder_ids") : null,
                ReadStrings(f.Value, "decoded"), ReadStrings(f.Value, "decoded_skip_special")));
    }

    /// <summary>Unpacked fixture folders, one per family.</summary>
    public string Root { get; }

    public IReadOnlyList<string> Texts { get; }

    public IReadOnlyDictionary<string, GoldenIds> Golden { get; }

    public string Folder(string family) => Path.Combine(Root, family);

    /// <summary>The family's folder loaded through TokenizerFolder, once (the big vocabularies take a moment).</summary>
    public LoadedTokenizer Load(string family)
    {
        lock (_gate)
        {
            if (!_loaded.TryGetValue(family, out var loaded)) _loaded[family] = loaded = TokenizerFolder.Load(Folder(family));
            return loaded;
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// A variant fixture: the base family's tokenizer.json with some top-level keys replaced
    /// (make_golden.mjs builds the same file from the same patch).
    /// </summary>
    private void ApplyPatch(string patchFile)
    {
        var patch = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(patchFile))!.AsObject();
        var basePath = Path.Combine(Root, patch["base"]!.GetValue<string>(), "tokenizer.json");
        var tokenizer = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(basePath))!.AsObject();
        foreach (var (key, value) in patch["replace"]!.AsObject()) tokenizer[key] = value?.DeepClone();
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(patchFile)!, "tokenizer.json"), tokenizer.ToJsonString());
    }

    private static string?[] ReadStrings(JsonElement family, string name) =>
        family.GetProperty(name).EnumerateArray().Select(t => t.GetString()).ToArray();

    private static int[]?[] ReadIdLists(JsonElement family, string name) =>
        family.GetProperty(name).EnumerateArray()
            .Select(ids => ids.ValueKind == JsonValueKind.Null ? null : ids.EnumerateArray().Select(i => i.GetInt32()).ToArray())
            .ToArray();
}

/// <summary>
/// Expected ids per text (null where the independent implementation is not comparable), and the text
/// that implementation decodes the ids (without special tokens added) back to.
/// </summary>
public sealed record GoldenIds(string[] Texts, int[]?[] Ids, int[]?[] IdsWithSpecial, int[]?[]? Gpt3EncoderIds, string?[] Decoded, string?[] DecodedSkipSpecial);

[CollectionDefinition(Name)]
public sealed class TokenizerFixturesCollection : ICollectionFixture<TokenizerFixtures>
{
    public const string Name = "tokenizer fixtures";
}
