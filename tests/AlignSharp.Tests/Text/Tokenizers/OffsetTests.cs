using System.Text;
using System.Text.Json;
using AlignSharp.Text;

namespace AlignSharp.Tests.Text.Tokenizers;

/// <summary>
/// EncodeWithOffsets on every fixture tokenizer: the ids are Encode's, the ranges never go backwards, cover
/// the text, and the tokens of each range decode to that range's characters.
/// </summary>
[Collection(TokenizerFixturesCollection.Name)]
public sealed class OffsetTests(TokenizerFixtures fixtures)
{
    public static TheoryData<string> Families => new() { "gpt2", "mistral", "mistral-metaspace", "llama3", "qwen3", "llama2-spm", "byte", "byte-added" };

    private static readonly string[] ExtraTexts =
    [
        "  leading and trailing  ", "\n\nstarts with newlines", "ends with a newline\n", " ", "\n",
        "héllo wörld — naïve café", "emoji 😀👍🏽 mixed", "▁ a literal metaspace ▁▁",
    ];

    private IEnumerable<string> TextsFor(ITokenizer tokenizer)
    {
        foreach (var text in fixtures.Texts.Concat(ExtraTexts)) yield return text;
        // Special tokens inside the text, with and without spaces around them.
        foreach (var special in new[] { tokenizer.BosToken, tokenizer.EosToken }.OfType<string>())
        {
            yield return $"{special}Hi there{special}";
            yield return $"One {special} two {special}\nthree";
            yield return $"{special} {special}";
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Offsets_are_monotonic_cover_the_text_and_decode_to_their_characters(string family)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var failures = new List<string>();
        foreach (var text in TextsFor(tokenizer))
        {
            var encoding = tokenizer.EncodeWithOffsets(text, addSpecialTokens: false);
            var problem = Check(tokenizer, family, text, encoding);
            if (problem is not null) failures.Add($"{JsonSerializer.Serialize(text)}: {problem}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string? Check(ITokenizer tokenizer, string family, string text, TokenEncoding encoding)
    {
        if (!encoding.Ids.SequenceEqual(tokenizer.Encode(text, addSpecialTokens: false))) return "ids differ from Encode";
        if (encoding.Offsets.Count != encoding.Ids.Count) return "one offset per id expected";
        var offsets = encoding.Offsets;
        var covered = 0; // every character before this is in some token's range
        for (var i = 0; i < offsets.Count; i++)
        {
            var o = offsets[i];
            if (o.Start < 0 || o.End > text.Length || o.End < o.Start) return $"token {i} [{o.Start}, {o.End}) is outside the text";
            if (i > 0 && (o.Start < offsets[i - 1].Start || o.End < offsets[i - 1].End)) return $"token {i} [{o.Start}, {o.End}) goes backwards";
            if (o.IsEmpty) continue;
            if (o.Start > covered) return $"characters [{covered}, {o.Start}) are in no token";
            covered = Math.Max(covered, o.End);
        }
        if (covered != text.Length) return $"characters from {covered} are in no token";

        // Group tokens that share characters; each group decodes to its characters.
        var groupStart = 0;
        for (var i = 1; i <= offsets.Count; i++)
        {
            if (i < offsets.Count && (offsets[i].IsEmpty || offsets[i].Start < offsets[i - 1].End || offsets[i - 1].IsEmpty)) continue;
            // Zero-width tokens (a dummy-prefix "▁" after an added token) stand for no character.
            var group = Enumerable.Range(groupStart, i - groupStart).Where(k => !offsets[k].IsEmpty).Select(k => encoding.Ids[k]).ToArray();
            var range = new TokenOffset(offsets[groupStart].Start, offsets[i - 1].End);
            var decoded = Comparable(family, tokenizer.Decode(group, skipSpecialTokens: false));
            var expected = Comparable(family, text[range.Start..range.End]);
            if (decoded != expected)
                return $"tokens {groupStart}..{i - 1} decode to {JsonSerializer.Serialize(decoded)}, their range [{range.Start}, {range.End}) holds {JsonSerializer.Serialize(expected)}";
            groupStart = i;
        }
        return null;
    }

    /// <summary>
    /// What decoding can be held to: SentencePiece decoders drop the first token's leading space (the dummy
    /// prefix) and write a literal "▁" back as a space; Qwen's normalizer is NFC.
    /// </summary>
    private static string Comparable(string family, string text)
    {
        if (family == "qwen3") text = text.Normalize(NormalizationForm.FormC);
        return family is "mistral" or "mistral-metaspace" or "llama2-spm" ? text.Replace('▁', ' ').TrimStart(' ') : text;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Added_bos_and_eos_are_zero_width_at_the_ends(string family)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        const string text = "Hello world";
        var plain = tokenizer.EncodeWithOffsets(text, addSpecialTokens: false);
        var special = tokenizer.EncodeWithOffsets(text, addSpecialTokens: true);
        Assert.Equal(tokenizer.Encode(text, addSpecialTokens: true), special.Ids);
        var prefix = special.Ids.Count - plain.Ids.Count - (special.Ids.Count > 0 && special.Ids[^1] == tokenizer.EosTokenId ? 1 : 0);
        Assert.All(special.Offsets.Take(prefix), o => Assert.Equal(new TokenOffset(0, 0), o));
        Assert.Equal(plain.Offsets, special.Offsets.Skip(prefix).Take(plain.Ids.Count));
    }

    [Theory]
    [InlineData("llama2-spm")]
    [InlineData("mistral")]
    [InlineData("mistral-metaspace")]
    public void SentencePiece_dummy_prefix_is_zero_width_and_spaces_keep_their_character(string family)
    {
        var tokenizer = fixtures.Load(family).Tokenizer;
        var encoding = tokenizer.EncodeWithOffsets("Hello world", addSpecialTokens: false);
        Assert.Equal(["▁Hello", "▁world"], encoding.Ids.Select(id => tokenizer.IdToToken(id)));
        Assert.Equal([new TokenOffset(0, 5), new TokenOffset(5, 11)], encoding.Offsets);

        // After an added token: "<s>" holds its three characters, the "▁" glued to " [" holds the space.
        var chat = tokenizer.EncodeWithOffsets("<s>[INST] Hi", addSpecialTokens: false);
        Assert.Equal(new TokenOffset(0, 3), chat.Offsets[0]);
        Assert.Equal(3, chat.Offsets[1].Start);
        var hi = chat.Ids.Select(id => tokenizer.IdToToken(id)).ToList().IndexOf("▁Hi");
        Assert.Equal(new TokenOffset(9, 12), chat.Offsets[hi]);
    }

    [Fact]
    public void Byte_tokens_of_one_character_share_its_range()
    {
        var tokenizer = new ByteTokenizer();
        var encoding = tokenizer.EncodeWithOffsets("a😀<|im_end|>", addSpecialTokens: true);
        Assert.Equal(
            [new TokenOffset(0, 0), new TokenOffset(0, 1), .. Enumerable.Repeat(new TokenOffset(1, 3), 4), new TokenOffset(3, 13)],
            encoding.Offsets);
        Assert.Equal(1, encoding.CharToToken(0));
        Assert.Equal(2, encoding.CharToToken(2));
        Assert.Equal(6, encoding.CharToToken(12));
    }
}
