using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>The ByteTokenizer with add_eos_token behaviour: special tokens are BOS in front and EOS at the end.</summary>
public sealed class EosAppendingTokenizer : ITokenizer
{
    readonly ByteTokenizer _inner = new();

    public int VocabSize => _inner.VocabSize;
    public string? BosToken => _inner.BosToken;
    public string? EosToken => _inner.EosToken;
    public string? PadToken => _inner.PadToken;
    public int? BosTokenId => _inner.BosTokenId;
    public int? EosTokenId => _inner.EosTokenId;
    public int? PadTokenId => _inner.PadTokenId;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens) =>
        addSpecialTokens ? [.. _inner.Encode(text, true), EosTokenId!.Value] : _inner.Encode(text, false);

    public TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        TokenEncoding inner = _inner.EncodeWithOffsets(text, addSpecialTokens);
        return addSpecialTokens
            ? new TokenEncoding([.. inner.Ids, EosTokenId!.Value], [.. inner.Offsets, new TokenOffset(text.Length, text.Length)])
            : inner;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens) => _inner.Decode(ids, skipSpecialTokens);
    public string? IdToToken(int id) => _inner.IdToToken(id);
    public int? TokenToId(string token) => _inner.TokenToId(token);
}
