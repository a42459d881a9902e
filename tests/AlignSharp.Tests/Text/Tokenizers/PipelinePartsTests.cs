using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlignSharp.Text;
using AlignSharp.Text.TokenizerJson;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>
/// tokenizer.json parts no fixture family uses, checked by hand on a small character-level vocabulary
/// (a, b, c, ▁, space, &lt;s&gt;, &lt;/s&gt;, byte-fallback tokens) so the expected ids can be read off.
/// </summary>
public sealed class PipelinePartsTests
{
    private static readonly string[] Vocab = ["<unk>", "<s>", "</s>", "a", "b", "c", "▁", " ", "▁a", "ab"];

    private static HuggingFaceTokenizer Build(JsonObject? normalizer = null, JsonObject? preTokenizer = null,
        JsonObject? postProcessor = null, JsonObject? decoder = null, bool byteFallback = false)
    {
        var vocab = new JsonObject();
        for (var i = 0; i < Vocab.Length; i++) vocab[Vocab[i]] = i;
        for (var b = 0; b < 256; b++) vocab[$"<0x{b:X2}>"] = Vocab.Length + b;
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 1, ["content"] = "<s>", ["special"] = true },
                new JsonObject { ["id"] = 2, ["content"] = "</s>", ["special"] = true }),
            ["normalizer"] = normalizer,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = postProcessor,
            ["decoder"] = decoder,
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = byteFallback,
                ["vocab"] = vocab, ["merges"] = new JsonArray("▁ a", "a b"),
            },
        };
        return HuggingFaceTokenizer.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()), "test tokenizer.json");
    }

    [Fact]
    public void Roberta_processing_wraps_the_sequence_in_cls_and_sep()
    {
        var tokenizer = Build(postProcessor: new JsonObject
        {
            ["type"] = "RobertaProcessing", ["cls"] = new JsonArray("<s>", 1), ["sep"] = new JsonArray("</s>", 2),
        });
        Assert.Equal([1, 9, 5, 2], tokenizer.Encode("abc", addSpecialTokens: true));
        Assert.Equal([9, 5], tokenizer.Encode("abc", addSpecialTokens: false));
    }

    [Fact]
    public void Unknown_characters_fuse_into_one_unk_without_byte_fallback_and_spell_bytes_with_it()
    {
        Assert.Equal([3, 0, 4], Build().Encode("axyb", false));
        // "é" is C3 A9 in UTF-8.
        Assert.Equal([3, Vocab.Length + 0xC3, Vocab.Length + 0xA9, 4], Build(byteFallback: true).Encode("aéb", false));
    }

    [Fact]
    public void Metaspace_with_split_makes_words_that_start_at_each_space()
    {
        var metaspace = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "always", ["split"] = true };
        var tokenizer = Build(preTokenizer: metaspace, decoder: new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "always" });
        // "▁a▁ab▁▁c" splits into "▁a", "▁ab", "▁", "▁c"; inside "▁ab" the rank-0 merge "▁ a" beats "a b".
        var ids = tokenizer.Encode("a ab  c", false);
        Assert.Equal([8, 8, 4, 6, 6, 5], ids);
        Assert.Equal("a ab  c", tokenizer.Decode(ids, false));
    }

    [Fact]
    public void Replace_normalizer_with_a_regex_and_strip_decoder()
    {
        var tokenizer = Build(
            normalizer: new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = "c+" }, ["content"] = "b" },
            decoder: new JsonObject { ["type"] = "Strip", ["content"] = "a", ["start"] = 1, ["stop"] = 0 });
        var ids = tokenizer.Encode("acccc", false);
        Assert.Equal([9], ids);
        Assert.Equal("b", tokenizer.Decode(ids, false)); // "ab" with one leading "a" stripped
    }

    [Theory]
    [InlineData(SplitBehavior.Isolated, false, "a|-|-|b|-")]
    [InlineData(SplitBehavior.Removed, false, "a|b")]
    [InlineData(SplitBehavior.MergedWithPrevious, false, "a-|-|b-")]
    [InlineData(SplitBehavior.MergedWithNext, false, "a|-|-b|-")]
    [InlineData(SplitBehavior.Contiguous, false, "a|--|b|-")]
    [InlineData(SplitBehavior.Isolated, true, "a|--|b|-")]
    [InlineData(SplitBehavior.Removed, true, "a|b")]
    internal void Split_behaviors_follow_hugging_face(SplitBehavior behavior, bool invert, string expected)
    {
        // With invert the pattern names the pieces between delimiters; "[^-]+" matches a and b.
        var splitter = new SplitPreTokenizer(new Regex(invert ? "[^-]+" : "-"), behavior, invert);
        Assert.Equal(expected.Split('|'), splitter.PreTokenize([AlignedText.Original("a--b-", 0)], isFirstSegment: true).Select(w => w.Text));
    }
}
