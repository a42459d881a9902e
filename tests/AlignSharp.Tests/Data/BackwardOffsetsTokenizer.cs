using AlignSharp.Text;

namespace AlignSharp.Tests.Data;

/// <summary>The ByteTokenizer with its offsets reversed: ids right, offsets no mask can rely on.</summary>
public sealed class BackwardOffsetsTokenizer : ByteTokenizerVariant
{
    public override TokenEncoding EncodeWithOffsets(string text, bool addSpecialTokens)
    {
        TokenEncoding inner = Inner.EncodeWithOffsets(text, addSpecialTokens);
        return inner with { Offsets = inner.Offsets.Reverse().ToArray() };
    }
}
