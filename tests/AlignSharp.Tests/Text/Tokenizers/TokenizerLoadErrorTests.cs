using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>Bad tokenizer files fail with the file, the JSON path and what was wrong.</summary>
public sealed class TokenizerLoadErrorTests : IDisposable
{
    private const string MinimalModel = """
        "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "alignsharp-tokenizer-errors-" + Guid.NewGuid().ToString("N"));

    public TokenizerLoadErrorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_minimal_valid_file_loads_so_the_failures_below_are_about_their_one_defect()
    {
        var tokenizer = LoadJson("{" + MinimalModel + "}");
        Assert.Equal([2, 0], tokenizer.Encode("aba", false));
    }

    [Fact]
    public void Missing_and_empty_folders_are_named()
    {
        var missing = Path.Combine(_folder, "nope");
        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerFolder.Load(missing));
        Assert.Equal(missing, e.FilePath);
        Assert.Contains("does not exist", e.Message);

        e = Assert.Throws<TokenizerLoadException>(() => TokenizerFolder.Load(_folder));
        Assert.Contains(_folder, e.Message);
        Assert.Contains("no tokenizer.json or tokenizer.model", e.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        var e = Assert.Throws<TokenizerLoadException>(() => LoadJson("{\n\"model\": {,\n}"));
        Assert.EndsWith("tokenizer.json", e.FilePath);
        Assert.Contains("not valid JSON (line 2)", e.Message);

        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), "{" + MinimalModel + "}");
        File.WriteAllText(Path.Combine(_folder, "tokenizer_config.json"), "{\"bos_token\": ");
        e = Assert.Throws<TokenizerLoadException>(() => TokenizerFolder.Load(_folder));
        Assert.EndsWith("tokenizer_config.json", e.FilePath);
    }

    [Theory]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {}}}""", "$.model.type", "model type \"WordPiece\" is not supported")]
    [InlineData("""{"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}, {"type": "Whitespace"}]}, MODEL}""",
        "$.pre_tokenizer.pretokenizers[1].type", "pre-tokenizer type \"Whitespace\" is not supported")]
    [InlineData("""{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "AA=="}, MODEL}""", "$.normalizer.type", "normalizer type \"Precompiled\"")]
    [InlineData("""{"decoder": {"type": "WordPiece"}, MODEL}""", "$.decoder.type", "decoder type \"WordPiece\"")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}}""", "$.model.merges[0]", "\"b\" is not in the vocabulary")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": "zero"}}}""", "$.model.vocab[\"a\"]", "expected an integer")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 0}, "unk_token": "<unk>"}}""", "$.model.unk_token", "not in the vocabulary")]
    [InlineData("""{"added_tokens": [{"id": 5}], MODEL}""", "$.added_tokens[0]", "missing required property \"content\"")]
    [InlineData("""{"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<x"}, "behavior": "Isolated"}, MODEL}""", "$.pre_tokenizer.pattern.Regex", "regex not understood")]
    [InlineData("""{"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}], "special_tokens": {}}, MODEL}""",
        "$.post_processor.single[0].SpecialToken", "\"<s>\" is not in special_tokens")]
    public void Unsupported_or_inconsistent_parts_name_their_json_path(string json, string jsonPath, string problem)
    {
        var e = Assert.Throws<TokenizerLoadException>(() => LoadJson(json.Replace("MODEL", MinimalModel)));
        Assert.Equal(jsonPath, e.JsonPath);
        Assert.Contains(problem, e.Message);
        Assert.Contains("tokenizer.json", e.Message);
        Assert.Contains(jsonPath, e.Message);
    }

    [Fact]
    public void A_role_token_missing_from_the_vocabulary_names_the_config()
    {
        File.WriteAllText(Path.Combine(_folder, "tokenizer.json"), "{" + MinimalModel + "}");
        File.WriteAllText(Path.Combine(_folder, "tokenizer_config.json"), """{"eos_token": "</s>"}""");
        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerFolder.Load(_folder));
        Assert.EndsWith("tokenizer_config.json", e.FilePath);
        Assert.Contains("eos token \"</s>\" is not in the vocabulary", e.Message);
    }

    [Fact]
    public void A_corrupt_tokenizer_model_is_named()
    {
        File.WriteAllBytes(Path.Combine(_folder, "tokenizer.model"), [0xFF, 0xFF, 0x01, 0x02, 0x03]);
        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerFolder.Load(_folder));
        Assert.EndsWith("tokenizer.model", e.FilePath);
        Assert.Contains("not a SentencePiece model", e.Message);
    }

    private HuggingFaceTokenizer LoadJson(string json)
    {
        var path = Path.Combine(_folder, "tokenizer.json");
        File.WriteAllText(path, json);
        return HuggingFaceTokenizer.Load(path);
    }
}
