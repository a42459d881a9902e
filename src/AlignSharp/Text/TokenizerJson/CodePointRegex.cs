using System.Globalization;
using System.Text.RegularExpressions;

namespace AlignSharp.Text.TokenizerJson;

/// <summary>
/// A pre-tokenizer regex matched per code point, as Hugging Face's (Rust/Oniguruma) and JavaScript's
/// /u regexes do. .NET matches UTF-16 units, so a letter outside the BMP (𠀀, 𝐀) would be two
/// surrogates and never <c>\p{L}</c>. Each surrogate pair is therefore matched as one stand-in BMP
/// character of the same Unicode category, and the matches are mapped back to the original text.
/// </summary>
internal sealed class CodePointRegex(Regex regex)
{
    // One BMP character per Unicode category, taken from the top of the BMP (fullwidth forms and the
    // like), where no tokenizer regex spells a literal.
    private static readonly char[] StandIns = BuildStandIns();

    public Regex Regex { get; } = regex;

    /// <summary>(start, length) of each non-empty match, in UTF-16 units of <paramref name="text"/>.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var matches = new List<(int, int)>();
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var match in Regex.EnumerateMatches(text))
                if (match.Length > 0) matches.Add((match.Index, match.Length));
            return matches;
        }
        var (substituted, originalIndex) = Substitute(text);
        foreach (var match in Regex.EnumerateMatches(substituted))
        {
            if (match.Length == 0) continue;
            var start = originalIndex[match.Index];
            matches.Add((start, originalIndex[match.Index + match.Length] - start));
        }
        return matches;
    }

    /// <summary>The text with surrogate pairs replaced, and for each of its positions (plus the end) the original index.</summary>
    private static (string Text, int[] OriginalIndex) Substitute(string text)
    {
        var chars = new char[text.Length];
        var originalIndex = new int[text.Length + 1];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            originalIndex[length] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]));
                chars[length++] = StandIns[(int)category];
                i++;
            }
            else chars[length++] = text[i];
        }
        originalIndex[length] = text.Length;
        return (new string(chars, 0, length), originalIndex);
    }

    private static char[] BuildStandIns()
    {
        var categories = Enum.GetValues<UnicodeCategory>();
        var standIns = new char[categories.Max(c => (int)c) + 1];
        var found = new bool[standIns.Length];
        for (int c = 0xFFFD; c >= 0x80; c--)
        {
            if (c is >= 0xD800 and <= 0xDFFF) continue;
            var category = (int)CharUnicodeInfo.GetUnicodeCategory((char)c);
            if (found[category]) continue;
            standIns[category] = (char)c;
            found[category] = true;
        }
        // Categories with no BMP member above U+0080 (none in current Unicode) fall back to a symbol.
        for (var i = 0; i < standIns.Length; i++) if (!found[i]) standIns[i] = '\uFFFD';
        return standIns;
    }
}
