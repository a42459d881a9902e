using System.Text;
using System.Text.Json;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

[Collection(TokenizerFixturesCollection.Name)]
public sealed class RoundTripTests(TokenizerFixtures fixtures)
{
    [Theory]
    [InlineData("gpt2")]
    [InlineData("mistral")]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("llama2-spm")]
    [InlineData("byte")]
    public void Decode_of_encode_gives_the_text_back(string family)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var failures = new List<string>();
        foreach (var text in fixtures.Texts)
        {
            var expected = ExpectedRoundTrip(family, text);
            var got = tokenizer.Decode(tokenizer.Encode(text, addSpecialTokens: false), skipSpecialTokens: false);
            if (got != expected) failures.Add($"{JsonSerializer.Serialize(text)} -> {JsonSerializer.Serialize(got)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The two known, Hugging Face-faithful exceptions to an exact round trip.</summary>
    private static string ExpectedRoundTrip(string family, string text) => (family, text) switch
    {
        // Qwen's normalizer is NFC: the combining accent comes back composed.
        ("qwen3", _) => text.Normalize(NormalizationForm.FormC),
        // Mistral/Llama-2 tokenizer.json (legacy): the dummy "▁" is prepended to the text after "<s>" too.
        ("mistral", "<s>[INST] Hello [/INST] answer</s>") => "<s> [INST] Hello [/INST] answer</s>",
        _ => text,
    };

    [Theory]
    [InlineData("qwen3", "<|im_start|>user\nHi<|im_end|>\n", "user\nHi\n", 151644)]
    [InlineData("llama3", "<|begin_of_text|>Hello<|eot_id|>", "Hello", 128000)]
    [InlineData("gpt2", "a<|endoftext|>b", "ab", 50256)]
    [InlineData("mistral", "<s>Hello</s>", "Hello", 1)]
    [InlineData("llama2-spm", "<s>Hello</s>", "Hello", 1)]
    [InlineData("byte", "<|im_start|>Hi<|im_end|>", "Hi", 259)]
    public void Special_tokens_in_text_are_single_ids_and_skipSpecialTokens_drops_them(string family, string text, string withoutSpecials, int specialId)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        Assert.Contains(specialId, ids);
        Assert.Equal(withoutSpecials, tokenizer.Decode(ids, skipSpecialTokens: true));
        Assert.Contains(tokenizer.IdToToken(specialId)!, tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Theory]
    [InlineData("gpt2", "<|endoftext|>", "<|endoftext|>", 50257)]
    [InlineData("mistral", "<s>", "</s>", 32000)]
    [InlineData("llama3", "<|begin_of_text|>", "<|end_of_text|>", 128256)]
    [InlineData("qwen3", null, "<|im_end|>", 151669)]
    [InlineData("llama2-spm", "<s>", "</s>", 32000)]
    public void Special_token_roles_and_vocab_size_come_from_the_folder(string family, string? bos, string eos, int vocabSize)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        Assert.Equal(bos, tokenizer.BosToken);
        Assert.Equal(eos, tokenizer.EosToken);
        Assert.Equal(vocabSize, tokenizer.VocabSize);
        Assert.Equal(tokenizer.TokenToId(eos), tokenizer.EosTokenId);
        Assert.Equal(eos, tokenizer.IdToToken(tokenizer.EosTokenId!.Value));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_skipped_when_decoding()
    {
        var qwen = fixtures.Load("qwen3").Tokenizer;
        Assert.Equal("Hello", qwen.Decode([9707, 151935, -1], skipSpecialTokens: false));
    }

    [Fact]
    public void Long_text_encodes_fast_enough_for_datasets()
    {
        // ~150 KB of mixed text (no special tokens: Mistral's per-segment "▁" is covered above).
        var text = string.Concat(Enumerable.Repeat(string.Join(" ", fixtures.Texts.Where(t => !t.Contains('<'))) + "\n", 200));
        foreach (var family in new[] { "qwen3", "mistral" })
        {
            var tokenizer = fixtures.Load(family).Tokenizer;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var ids = tokenizer.Encode(text, false);
            watch.Stop();
            Assert.True(ids.Count > text.Length / 8, $"{family}: {ids.Count} ids for {text.Length} chars");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{family}: {watch.Elapsed} to encode {text.Length} chars");
            Assert.Equal(family == "qwen3" ? text.Normalize(NormalizationForm.FormC) : text, tokenizer.Decode(ids, false));
        }
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("mistral")]
    [InlineData("llama2-spm")]
    [InlineData("byte")]
    public void A_lone_surrogate_is_rejected_with_its_index(string family)
    {
        var tokenizer = family == "byte" ? new ByteTokenizer() : fixtures.Load(family).Tokenizer;
        var e = Assert.Throws<ArgumentException>(() => tokenizer.Encode("ok \uD83D!", false));
        Assert.Contains("unpaired UTF-16 surrogate (U+D83D) at index 3", e.Message);
        Assert.NotEmpty(tokenizer.Encode("ok \uD83D\uDE00!", false)); // a proper pair is fine
    }

    [Fact]
    public void Concurrent_encoding_gives_the_same_ids_as_sequential()
    {
        // A fresh instance, so the shared per-word cache is filled concurrently.
        var tokenizer = TokenizerFolder.Load(fixtures.Folder("gpt2")).Tokenizer;
        var expected = fixtures.Golden["gpt2"].Ids;
        var work = Enumerable.Range(0, 8 * fixtures.Texts.Count).Select(i => i % fixtures.Texts.Count).ToArray();
        var results = new IReadOnlyList<int>[work.Length];
        Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => results[i] = tokenizer.Encode(fixtures.Texts[work[i]], addSpecialTokens: false));
        for (var i = 0; i < work.Length; i++) Assert.Equal(expected[work[i]], results[i]);
    }
}
