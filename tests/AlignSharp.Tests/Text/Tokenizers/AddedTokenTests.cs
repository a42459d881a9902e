using System.Text;
using System.Text.Json.Nodes;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>
/// Added-token options transformers.js does not implement (single_word, normalized), checked by hand
/// on ByteTokenizer's tokenizer.json, where every other byte is its own id.
/// </summary>
public sealed class AddedTokenTests
{
    private static int[] Bytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    private static HuggingFaceTokenizer WithAddedToken(JsonObject token, JsonNode? normalizer = null)
    {
        var json = JsonNode.Parse(new ByteTokenizer().ToTokenizerJson())!.AsObject();
        token["id"] = 261;
        json["added_tokens"]!.AsArray().Add(token);
        json["normalizer"] = normalizer?.DeepClone();
        return HuggingFaceTokenizer.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()), "test tokenizer.json");
    }

    [Fact]
    public void Single_word_tokens_match_only_between_non_word_characters()
    {
        var tokenizer = WithAddedToken(new JsonObject { ["content"] = "cat", ["single_word"] = true, ["special"] = false });
        int[] expected = [261, .. Bytes(" concat "), 261, .. Bytes(". cats")];
        Assert.Equal(expected, tokenizer.Encode("cat concat cat. cats", false));
        Assert.Equal("cat concat cat. cats", tokenizer.Decode(expected, skipSpecialTokens: true)); // not special: kept
    }

    [Fact]
    public void Normalized_tokens_match_the_normalized_text_and_others_the_raw_text()
    {
        var lowercase = new JsonObject { ["type"] = "Lowercase" };
        var normalized = WithAddedToken(new JsonObject { ["content"] = "hello", ["normalized"] = true, ["special"] = true }, lowercase);
        Assert.Equal([261, .. Bytes(" there")], normalized.Encode("HeLLo There", false));

        var raw = WithAddedToken(new JsonObject { ["content"] = "hello", ["normalized"] = false, ["special"] = true }, lowercase);
        Assert.Equal(Bytes("hello there"), raw.Encode("HeLLo There", false));
        Assert.Equal([261, .. Bytes(" there")], raw.Encode("hello There", false));
    }

    [Fact]
    public void The_longest_added_token_wins_at_a_position()
    {
        var json = JsonNode.Parse(new ByteTokenizer().ToTokenizerJson())!.AsObject();
        var added = json["added_tokens"]!.AsArray();
        added.Add(new JsonObject { ["id"] = 261, ["content"] = "<|im", ["special"] = true });
        var tokenizer = HuggingFaceTokenizer.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()), "test tokenizer.json");
        Assert.Equal([259, 261, .. Bytes("x")], tokenizer.Encode("<|im_start|><|imx", false));
    }

    [Theory]
    [InlineData(true, new[] { "a", "1", "2", "b", "3" })]
    [InlineData(false, new[] { "a", "12", "b", "3" })]
    public void Digits_pre_tokenizer_isolates_digits(bool individual, string[] words)
    {
        // A vocabulary with the multi-character words present: only the pre-tokenizer's split decides.
        var json = JsonNode.Parse(new ByteTokenizer().ToTokenizerJson())!.AsObject();
        json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Digits", ["individual_digits"] = individual },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = false }),
        };
        var model = json["model"]!.AsObject();
        model["vocab"]!.AsObject()["12"] = 300;
        model["vocab"]!.AsObject()["a1"] = 301;
        model["merges"] = new JsonArray("1 2", "a 1");
        var tokenizer = HuggingFaceTokenizer.FromJson(Encoding.UTF8.GetBytes(json.ToJsonString()), "test tokenizer.json");
        var expected = words.SelectMany(w => w == "12" ? [300] : Bytes(w)).ToArray();
        Assert.Equal(expected, tokenizer.Encode("a12b3", false));
    }
}
