using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>The ByteTokenizer with add_eos_token behaviour: special tokens are BOS in front and EOS at the end.</summary>
public sealed class EosAppendingTokenizer : ByteTokenizerVariant
{
    public override IReadOnlyList<int> Encode(string text, bool addSpecialTokens) =>
        addSpecialTokens ? [.. Inner.Encode(text, true), EosTokenId!.Value] : Inner.Encode(text, false);

    public override TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        TokenEncoding inner = Inner.EncodeWithOffsets(text, addSpecialTokens);
        return addSpecialTokens
            ? new TokenEncoding([.. inner.Ids, EosTokenId!.Value], [.. inner.Offsets, new TokenOffset(text.Length, text.Length)])
            : inner;
    }
}
