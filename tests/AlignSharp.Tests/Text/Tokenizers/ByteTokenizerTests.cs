using System.Text;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

[Collection(TokenizerFixturesCollection.Name)]
public sealed class ByteTokenizerTests(TokenizerFixtures fixtures)
{
    private readonly ByteTokenizer _tokenizer = new();

    [Fact]
    public void Bytes_are_their_own_ids_and_special_tokens_follow()
    {
        Assert.Equal([104, 105, 0xC3, 0xA9], _tokenizer.Encode("hié", addSpecialTokens: false));
        Assert.Equal(261, _tokenizer.VocabSize);
        Assert.Equal((256, 257, 258), (_tokenizer.PadTokenId, _tokenizer.BosTokenId, _tokenizer.EosTokenId));
        Assert.Equal(259, _tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(260, _tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal("Ġ", _tokenizer.IdToToken(32));
        Assert.Equal(32, _tokenizer.TokenToId("Ġ"));
        Assert.Null(_tokenizer.IdToToken(261));
    }

    [Fact]
    public void Special_tokens_in_text_are_single_ids_and_bos_is_added_on_request()
    {
        Assert.Equal([259, 104, 105, 260, 10], _tokenizer.Encode("<|im_start|>hi<|im_end|>\n", addSpecialTokens: false));
        Assert.Equal([257, 104, 105], _tokenizer.Encode("hi", addSpecialTokens: true));
        // A near miss stays bytes.
        Assert.Equal(Encoding.UTF8.GetBytes("<|im_start>").Select(b => (int)b), _tokenizer.Encode("<|im_start>", false));
    }

    [Fact]
    public void Decode_round_trips_and_skips_special_tokens()
    {
        foreach (var text in fixtures.Texts) Assert.Equal(text, _tokenizer.Decode(_tokenizer.Encode(text, false), false));
        var ids = _tokenizer.Encode("<|bos|><|im_start|>user\nhé<|im_end|><|eos|>", addSpecialTokens: false);
        Assert.Equal("user\nhé", _tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("<|bos|><|im_start|>user\nhé<|im_end|><|eos|>", _tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Invalid_utf8_decodes_to_replacement_characters_without_throwing()
    {
        // A lone continuation byte, a truncated 2-byte sequence cut by a special token, and an invalid lead byte.
        int[] ids = [0x80, 104, 0xC3, 258, 0xFF];
        Assert.Equal("\uFFFDh\uFFFD<|eos|>\uFFFD", _tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Saved_folder_loads_back_as_an_equivalent_tokenizer()
    {
        var folder = Path.Combine(fixtures.Root, "byte-saved-" + Guid.NewGuid().ToString("N"));
        TokenizerFolder.Save(_tokenizer, folder);
        var loaded = TokenizerFolder.Load(folder);

        Assert.IsType<HuggingFaceTokenizer>(loaded.Tokenizer);
        Assert.Equal(("<|bos|>", "<|eos|>", "<|pad|>"), (loaded.Settings.BosToken, loaded.Settings.EosToken, loaded.Settings.PadToken));
        var reloaded = loaded.Tokenizer;
        Assert.Equal(_tokenizer.VocabSize, reloaded.VocabSize);
        Assert.Equal((_tokenizer.BosTokenId, _tokenizer.EosTokenId, _tokenizer.PadTokenId), (reloaded.BosTokenId, reloaded.EosTokenId, reloaded.PadTokenId));
        var texts = fixtures.Texts.Append("<|im_start|>assistant\nok<|im_end|>").ToList();
        foreach (var text in texts)
        {
            Assert.Equal(_tokenizer.Encode(text, false), reloaded.Encode(text, false));
            Assert.Equal(_tokenizer.Encode(text, true), reloaded.Encode(text, true));
            Assert.Equal(text, reloaded.Decode(reloaded.Encode(text, false), false));
        }
        int[] invalid = [0x80, 104, 0xC3, 258, 0xFF];
        Assert.Equal(_tokenizer.Decode(invalid, false), reloaded.Decode(invalid, false));
        Assert.Equal(_tokenizer.Decode(invalid, true), reloaded.Decode(invalid, true));
    }

    /// <summary>
    /// The committed tests/fixtures/tokenizers/byte folder is what Save writes; make_golden.mjs loads it with
    /// transformers.js, so its golden ids show a Hugging Face implementation reads our files as we do.
    /// </summary>
    [Fact]
    public void Saved_files_are_the_committed_fixture_that_transformers_js_loaded()
    {
        var folder = Path.Combine(fixtures.Root, "byte-fixture-check-" + Guid.NewGuid().ToString("N"));
        TokenizerFolder.Save(_tokenizer, folder);
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
        {
            var actual = File.ReadAllText(Path.Combine(folder, file));
            var expected = File.ReadAllText(Path.Combine(fixtures.Folder("byte"), file));
            Assert.True(expected == actual,
                $"{file} differs from the committed fixture; the new output is in {folder} (copy it to tests/fixtures/tokenizers/byte and rerun make_golden.mjs)");
        }
    }
}
