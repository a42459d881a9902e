using System.Text.RegularExpressions;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>tokenizer.json's "pre_tokenizer": splits a normalized segment into words the model encodes one by one, keeping their alignment.</summary>
internal interface IPreTokenizer
{
    /// <summary>Splits <paramref name="pieces"/>; <paramref name="isFirstSegment"/> is true for the text before any added token (Metaspace's prepend_scheme "first").</summary>
    List<AlignedText> PreTokenize(List<AlignedText> pieces, bool isFirstSegment);
}

/// <summary>How a Split pre-tokenizer treats the regex matches (the Hugging Face "behavior" names).</summary>
internal enum SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous }

internal sealed class SplitPreTokenizer(Regex pattern, SplitBehavior behavior, bool invert) : IPreTokenizer
{
    private readonly CodePointRegex _pattern = new(pattern);

    public List<AlignedText> PreTokenize(List<AlignedText> pieces, bool isFirstSegment)
    {
        var output = new List<AlignedText>(pieces.Count * 4);
        var words = new List<(int Start, int Length)>();
        foreach (var piece in pieces)
        {
            words.Clear();
            Split(piece.Text, words);
            foreach (var (start, length) in words) output.Add(piece.Slice(start, length));
        }
        return output;
    }

    /// <summary>The (start, length) of each word of <paramref name="text"/>.</summary>
    private void Split(string text, List<(int Start, int Length)> output)
    {
        // (start, length, isMatch) spans covering the whole text, in order.
        var spans = new List<(int Start, int Length, bool IsMatch)>();
        var position = 0;
        foreach (var (start, length) in _pattern.Matches(text))
        {
            if (start > position) spans.Add((position, start - position, invert));
            spans.Add((start, length, !invert));
            position = start + length;
        }
        if (position < text.Length) spans.Add((position, text.Length - position, invert));

        // As Hugging Face: a match merges with its neighbour only when that neighbour is not a match itself.
        var carry = -1; // start of a match waiting to be merged with the next span
        for (var i = 0; i < spans.Count; i++)
        {
            var (start, length, isMatch) = spans[i];
            var previousIsMatch = i > 0 && spans[i - 1].IsMatch;
            var nextIsMatch = i + 1 < spans.Count && spans[i + 1].IsMatch;
            switch (behavior)
            {
                case SplitBehavior.Isolated:
                    output.Add((start, length));
                    break;
                case SplitBehavior.Removed:
                    if (!isMatch) output.Add((start, length));
                    break;
                case SplitBehavior.MergedWithPrevious:
                    if (isMatch && i > 0 && !previousIsMatch) output[^1] = (output[^1].Start, output[^1].Length + length);
                    else output.Add((start, length));
                    break;
                case SplitBehavior.MergedWithNext:
                    if (isMatch && i + 1 < spans.Count && !nextIsMatch)
                    {
                        carry = start;
                        break;
                    }
                    output.Add(carry >= 0 ? (carry, start + length - carry) : (start, length));
                    carry = -1;
                    break;
                case SplitBehavior.Contiguous:
                    if (isMatch && previousIsMatch) output[^1] = (output[^1].Start, output[^1].Length + length);
                    else output.Add((start, length));
                    break;
            }
        }
    }
}

/// <summary>
/// ByteLevel: optionally GPT-2's word regex, then every word rewritten as its UTF-8 bytes in
/// the byte-level alphabet (so the BPE vocabulary covers every possible input).
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    private static readonly CodePointRegex Gpt2Words = new(new Regex(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
        RegexOptions.Compiled | RegexOptions.CultureInvariant));

    public List<AlignedText> PreTokenize(List<AlignedText> pieces, bool isFirstSegment)
    {
        var output = new List<AlignedText>(pieces.Count * 4);
        for (var p = 0; p < pieces.Count; p++)
        {
            var piece = pieces[p];
            if (addPrefixSpace && piece.Length > 0 && piece.Text[0] != ' ') piece = piece.Prepend(" ");
            if (!useRegex)
            {
                output.Add(ToBytes(piece, 0, piece.Length));
                continue;
            }
            // The regex matches cover the whole piece (its last alternative is \s+ and the rest any non-space).
            foreach (var (start, length) in Gpt2Words.Matches(piece.Text))
                output.Add(ToBytes(piece, start, start + length));
        }
        return output;
    }

    /// <summary>Units [start, end) as byte-level characters; every byte of a character carries that character's range.</summary>
    private static AlignedText ToBytes(AlignedText piece, int start, int end)
    {
        if (!piece.IsTracked) return AlignedText.Original(ByteLevelAlphabet.Encode(piece.Text[start..end]), 0, track: false);
        var builder = piece.NewBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        Span<char> chars = stackalloc char[4];
        var i = start;
        while (i < end)
        {
            System.Text.Rune.DecodeFromUtf16(piece.Text.AsSpan(i, end - i), out var rune, out var consumed);
            var count = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < count; b++) chars[b] = ByteLevelAlphabet.ByteToChar(utf8[b]);
            builder.AppendReplacement(new string(chars[..count]), piece.OriginalRange(i, i + consumed));
            i += consumed;
        }
        return builder.Build();
    }
}

/// <summary>When Metaspace adds the "▁" in front of a segment.</summary>
internal enum PrependScheme { Always, First, Never }

/// <summary>Metaspace: spaces become "▁", a "▁" is prepended per the scheme, optionally split before each "▁".</summary>
internal sealed record MetaspacePreTokenizer(char Replacement, PrependScheme Scheme, bool SplitWords) : IPreTokenizer
{
    public List<AlignedText> PreTokenize(List<AlignedText> pieces, bool isFirstSegment)
    {
        var output = new List<AlignedText>(pieces.Count * 4);
        foreach (var piece in pieces)
        {
            var text = piece.WithSameLengthText(piece.Text.Replace(' ', Replacement));
            var prepend = Scheme == PrependScheme.Always || (Scheme == PrependScheme.First && isFirstSegment);
            if (prepend && text.Length > 0 && text.Text[0] != Replacement) text = text.Prepend(Replacement.ToString());
            if (!SplitWords)
            {
                output.Add(text);
                continue;
            }
            var start = 0;
            for (var i = 1; i < text.Length; i++)
            {
                if (text.Text[i] != Replacement) continue;
                output.Add(text.Slice(start, i - start));
                start = i;
            }
            if (text.Length > 0) output.Add(text.Slice(start, text.Length - start));
        }
        return output;
    }
}

internal sealed record SequencePreTokenizer(IReadOnlyList<IPreTokenizer> Steps) : IPreTokenizer
{
    public List<AlignedText> PreTokenize(List<AlignedText> pieces, bool isFirstSegment)
    {
        foreach (var step in Steps) pieces = step.PreTokenize(pieces, isFirstSegment);
        return pieces;
    }
}
