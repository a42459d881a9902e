namespace AlignSharp.Text;

/// <summary>
/// Tokenizers work on Unicode text; a lone UTF-16 surrogate has no UTF-8 bytes and would otherwise be
/// turned silently into U+FFFD (or make normalization throw deep inside). Hugging Face rejects it too.
/// </summary>
internal static class Utf16Validation
{
    public static void ThrowIfUnpairedSurrogate(string text, string paramName)
    {
        var span = text.AsSpan();
        var first = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0) return;
        for (var i = first; i < span.Length; i++)
        {
            if (!char.IsSurrogate(span[i])) continue;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
                continue;
            }
            throw new ArgumentException($"text holds an unpaired UTF-16 surrogate (U+{(int)span[i]:X4}) at index {i}", paramName);
        }
    }
}
