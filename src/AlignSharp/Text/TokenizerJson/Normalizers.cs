using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>tokenizer.json's "normalizer": rewrites each plain-text segment before pre-tokenization, keeping its alignment.</summary>
internal interface INormalizer
{
    AlignedText Normalize(AlignedText text);
}

internal sealed record UnicodeNormalizer(NormalizationForm Form) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        if (text.Text.IsNormalized(Form)) return text;
        if (!text.IsTracked) return AlignedText.Original(text.Text.Normalize(Form), 0, track: false);
        // Normalization acts within a grapheme cluster (a base and its marks), so each cluster's output is
        // aligned to the cluster; if that ever differs from normalizing the whole, the whole range is used.
        var builder = text.NewBuilder();
        var enumerator = StringInfo.GetTextElementEnumerator(text.Text);
        while (enumerator.MoveNext())
        {
            var start = enumerator.ElementIndex;
            var element = (string)enumerator.Current;
            builder.AppendReplacement(element.Normalize(Form), text.OriginalRange(start, start + element.Length));
        }
        var result = builder.Build();
        if (result.Text == text.Text.Normalize(Form)) return result;
        var whole = text.NewBuilder();
        whole.AppendReplacement(text.Text.Normalize(Form), text.OriginalRange(0, text.Length));
        return whole.Build();
    }
}

internal sealed record LowercaseNormalizer : INormalizer
{
    // Invariant lowercasing maps unit to unit, so the alignment is unchanged.
    public AlignedText Normalize(AlignedText text) => text.WithSameLengthText(text.Text.ToLowerInvariant());
}

/// <summary>Prepend: adds a prefix to every non-empty segment (SentencePiece's dummy "▁"), zero-width.</summary>
internal sealed record PrependNormalizer(string Prefix) : INormalizer
{
    public AlignedText Normalize(AlignedText text) => text.Length == 0 ? text : text.Prepend(Prefix);
}

internal sealed record ReplaceNormalizer(Regex Pattern, string Content) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        if (!text.IsTracked) return AlignedText.Original(Pattern.Replace(text.Text, Content.Replace("$", "$$")), 0, track: false);
        var builder = text.NewBuilder();
        var position = 0;
        foreach (var match in Pattern.EnumerateMatches(text.Text))
        {
            builder.AppendRange(text, position, match.Index);
            // The replacement stands for the characters it replaced.
            builder.AppendReplacement(Content, text.OriginalRange(match.Index, match.Index + match.Length));
            position = match.Index + match.Length;
        }
        builder.AppendRange(text, position, text.Length);
        return builder.Build();
    }
}

internal sealed record StripNormalizer(bool Left, bool Right) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        var start = 0;
        var end = text.Length;
        if (Left) while (start < end && char.IsWhiteSpace(text.Text[start])) start++;
        if (Right) while (end > start && char.IsWhiteSpace(text.Text[end - 1])) end--;
        return start == 0 && end == text.Length ? text : text.Slice(start, end - start);
    }
}

internal sealed record SequenceNormalizer(IReadOnlyList<INormalizer> Steps) : INormalizer
{
    public AlignedText Normalize(AlignedText text)
    {
        foreach (var step in Steps) text = step.Normalize(text);
        return text;
    }
}
