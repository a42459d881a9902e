using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>
/// The ByteTokenizer with one behaviour changed: a test tokenizer overrides only the encoding it is about and
/// inherits the rest (vocabulary, special tokens, decoding) unchanged.
/// </summary>
public abstract class ByteTokenizerVariant : ITokenizer
{
    protected ByteTokenizer Inner { get; } = new();

    public int VocabSize => Inner.VocabSize;
    public string? BosToken => Inner.BosToken;
    public string? EosToken => Inner.EosToken;
    public string? PadToken => Inner.PadToken;
    public int? BosTokenId => Inner.BosTokenId;
    public int? EosTokenId => Inner.EosTokenId;
    public int? PadTokenId => Inner.PadTokenId;

    public virtual IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => Inner.Encode(text, addSpecialTokens);
    public virtual TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens) => Inner.EncodeWithOffsets(text, addSpecialTokens);
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) => Inner.Decode(ids, skipSpecialTokens);
    public string? IdToToken(int id) => Inner.IdToToken(id);
    public int? TokenToId(string token) => Inner.TokenToId(token);
}
