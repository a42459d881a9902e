using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>The ByteTokenizer with its offsets reversed: ids right, offsets no mask can rely on.</summary>
public sealed class BackwardOffsetsTokenizer : ITokenizer
{
    readonly ByteTokenizer _inner = new();

    public int VocabSize => _inner.VocabSize;
    public string? BosToken => _inner.BosToken;
    public string? EosToken => _inner.EosToken;
    public string? PadToken => _inner.PadToken;
    public int? BosTokenId => _inner.BosTokenId;
    public int? EosTokenId => _inner.EosTokenId;
    public int? PadTokenId => _inner.PadTokenId;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) => _inner.Encode(text, addSpecialTokens);

    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        TokenEncoding inner = _inner.EncodeWithOffsets(text, addSpecialTokens);
        return inner with { Offsets = inner.Offsets.Reverse().ToArray() };
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) => _inner.Decode(ids, skipSpecialTokens);
    public string? IdToToken(int id) => _inner.IdToToken(id);
    public int? TokenToId(string token) => _inner.TokenToId(token);
}
