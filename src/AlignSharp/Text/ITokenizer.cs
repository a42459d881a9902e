namespace AlignSharp.Text;

/// <summary>
/// A text tokenizer as the rest of AlignSharp sees it. One tokenisation path serves training,
/// scoring and generation (DESIGN.md pitfall 3), so every caller goes through this interface.
/// </summary>
public interface ITokenizer
{
    /// <summary>Size of the id space, added tokens included.</summary>
    int VocabSize { get; }

    string? BosToken { get; }
    string? EosToken { get; }
    string? PadToken { get; }
    int? BosTokenId { get; }
    int? EosTokenId { get; }
    int? PadTokenId { get; }

    /// <summary>
    /// Token ids of <paramref name="text"/>. With <paramref name="addSpecialTokens"/> the tokenizer's
    /// post-processor runs (e.g. a BOS in front, as Hugging Face's add_special_tokens=True).
    /// Text rendered by a chat template already holds its special tokens: encode it with false.
    /// Added/special tokens written in the text are always recognised as single ids.
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens);

    /// <summary>
    /// The same ids as <see cref="Encode"/>, each with the [start, end) characters of <paramref name="text"/> it
    /// came from, mapped back through the normalizer (transformers' return_offsets_mapping). Tokens that cover
    /// no character (post-processor BOS/EOS, a prepended "▁") are zero-width where they were inserted.
    /// </summary>
    TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens);

    /// <summary>Text of <paramref name="ids"/>; special tokens dropped when <paramref name="skipSpecialTokens"/>.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens);

    /// <summary>The vocabulary string of one id, or null when out of range.</summary>
    string? IdToToken(int id);

    /// <summary>The id of one vocabulary string (added tokens included), or null.</summary>
    int? TokenToId(string token);
}
