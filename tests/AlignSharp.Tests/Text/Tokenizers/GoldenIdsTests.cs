using System.Text.Json;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>Our ids against ids made by independent implementations (see tests/fixtures/tokenizers/make_golden.mjs).</summary>
[Collection(TokenizerFixturesCollection.Name)]
public sealed class GoldenIdsTests(TokenizerFixtures fixtures)
{
    [Theory]
    [InlineData("gpt2", false)]
    [InlineData("gpt2", true)]
    [InlineData("mistral", false)]
    [InlineData("mistral", true)]
    [InlineData("llama3", false)]
    [InlineData("llama3", true)]
    [InlineData("qwen3", false)]
    [InlineData("qwen3", true)]
    [InlineData("llama2-spm", false)]
    [InlineData("llama2-spm", true)]
    [InlineData("byte", false)]
    [InlineData("byte", true)]
    [InlineData("byte-added", false)]
    [InlineData("byte-added", true)]
    [InlineData("mistral-metaspace", false)]
    [InlineData("mistral-metaspace", true)]
    public void Ids_equal_the_golden_ids(string family, bool addSpecialTokens)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var golden = fixtures.Golden[family];
        var expected = addSpecialTokens ? golden.IdsWithSpecial : golden.Ids;
        AssertAllEqual(tokenizer, golden.Texts, expected, addSpecialTokens);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ByteTokenizer_ids_equal_what_transformers_js_makes_of_its_saved_folder(bool addSpecialTokens)
    {
        var golden = fixtures.Golden["byte"];
        AssertAllEqual(new ByteTokenizer(), golden.Texts, addSpecialTokens ? golden.IdsWithSpecial : golden.Ids, addSpecialTokens);
    }

    [Theory]
    [InlineData("gpt2", false)]
    [InlineData("gpt2", true)]
    [InlineData("mistral", false)]
    [InlineData("mistral", true)]
    [InlineData("llama3", false)]
    [InlineData("llama3", true)]
    [InlineData("qwen3", false)]
    [InlineData("qwen3", true)]
    [InlineData("llama2-spm", false)]
    [InlineData("llama2-spm", true)]
    [InlineData("byte", false)]
    [InlineData("byte", true)]
    [InlineData("byte-added", false)]
    [InlineData("byte-added", true)]
    [InlineData("mistral-metaspace", false)]
    [InlineData("mistral-metaspace", true)]
    public void Decode_equals_the_golden_text(string family, bool skipSpecialTokens)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var golden = fixtures.Golden[family];
        var expected = skipSpecialTokens ? golden.DecodedSkipSpecial : golden.Decoded;
        var failures = new List<string>();
        for (var i = 0; i < golden.Ids.Length; i++)
        {
            if (golden.Ids[i] is not { } ids || expected[i] is not { } want) continue;
            var got = tokenizer.Decode(ids, skipSpecialTokens);
            if (got != want) failures.Add($"{JsonSerializer.Serialize(golden.Texts[i])}: want {JsonSerializer.Serialize(want)}, got {JsonSerializer.Serialize(got)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Gpt2_ids_equal_gpt_3_encoder()
    {
        var golden = fixtures.Golden["gpt2"].Gpt3EncoderIds!;
        Assert.True(golden.Count(ids => ids is not null) >= 20, "the fixture should hold gpt-3-encoder ids for most texts");
        AssertAllEqual(fixtures.Load("gpt2").Tokenizer, fixtures.Texts, golden, addSpecialTokens: false);
    }

    private static void AssertAllEqual(ITokenizer tokenizer, IReadOnlyList<string> texts, int[]?[] expected, bool addSpecialTokens)
    {
        Assert.Equal(texts.Count, expected.Length);
        var failures = new List<string>();
        var compared = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] is not { } want) continue;
            compared++;
            var got = tokenizer.Encode(texts[i], addSpecialTokens);
            if (!got.SequenceEqual(want))
                failures.Add($"{JsonSerializer.Serialize(texts[i])}\n  want {string.Join(",", want)}\n  got  {string.Join(",", got)}");
        }
        Assert.True(compared > 0);
        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} texts differ:\n" + string.Join("\n", failures));
    }
}
