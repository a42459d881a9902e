using System.Text;
using System.Text.RegularExpressions;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>tokenizer.json's "normalizer": rewrites each plain-text segment before pre-tokenization.</summary>
internal interface INormalizer
{
    string Normalize(string text);
}

internal sealed record UnicodeNormalizer(NormalizationForm Form) : INormalizer
{
    public string Normalize(string text) => text.Normalize(Form);
}

internal sealed record LowercaseNormalizer : INormalizer
{
    public string Normalize(string text) => text.ToLowerInvariant();
}

/// <summary>Prepend: adds a prefix to every non-empty segment (SentencePiece's dummy "▁").</summary>
internal sealed record PrependNormalizer(string Prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : Prefix + text;
}

internal sealed record ReplaceNormalizer(Regex Pattern, string Content) : INormalizer
{
    public string Normalize(string text) => Pattern.Replace(text, Content.Replace("$", "$$"));
}

internal sealed record StripNormalizer(bool Left, bool Right) : INormalizer
{
    public string Normalize(string text) => (Left, Right) switch
    {
        (true, true) => text.Trim(),
        (true, false) => text.TrimStart(),
        (false, true) => text.TrimEnd(),
        _ => text,
    };
}

internal sealed record SequenceNormalizer(IReadOnlyList<INormalizer> Steps) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var step in Steps) text = step.Normalize(text);
        return text;
    }
}
