using AlignSharp.Data;
using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Tests.Data;

/// <summary>transformers' rule on hand-made offsets: first token holding the span's first character to the token holding its last.</summary>
public sealed class AssistantTokenMaskTests
{
    static TokenOffset O(int start, int end) => new(start, end);

    [Fact]
    public void TokensStraddlingEitherEdgeAreTrained()
    {
        // "ab|cd|ef" with the span "bcde" [1, 5): "ab" and "ef" each hold one of its characters.
        bool[] mask = AssistantTokenMask.Build([O(0, 2), O(2, 4), O(4, 6)], [new CharSpan(1, 4)]);
        Assert.Equal([true, true, true], mask);
        Assert.Equal([false, true, false], AssistantTokenMask.Build([O(0, 2), O(2, 4), O(4, 6)], [new CharSpan(2, 2)]));
    }

    [Fact]
    public void ZeroWidthTokensCountOnlyBetweenTheEnds()
    {
        // Span [2, 6): BOS [0, 0) and a zero-width token at its start stay out, one inside counts, one at its end stays out.
        bool[] mask = AssistantTokenMask.Build([O(0, 0), O(0, 2), O(2, 2), O(2, 4), O(4, 4), O(4, 6), O(6, 6)], [new CharSpan(2, 4)]);
        Assert.Equal([false, false, false, true, true, true, false], mask);
    }

    [Fact]
    public void AllByteTokensOfAnEdgeCharacterAreTrained()
    {
        // A two-unit character [1, 3) spelled by three byte tokens, at the span's start and at its end.
        TokenOffset[] offsets = [O(0, 1), O(1, 3), O(1, 3), O(1, 3), O(3, 4)];
        Assert.Equal([false, true, true, true, true], AssistantTokenMask.Build(offsets, [new CharSpan(1, 3)]));
        Assert.Equal([true, true, true, true, false], AssistantTokenMask.Build(offsets, [new CharSpan(0, 3)]));
    }

    [Fact]
    public void SeveralSpansAndEmptySpans()
    {
        TokenOffset[] offsets = [O(0, 1), O(1, 2), O(2, 3), O(3, 4)];
        Assert.Equal([false, true, false, true], AssistantTokenMask.Build(offsets, [new CharSpan(1, 1), new CharSpan(2, 0), new CharSpan(3, 1)]));
    }
}
