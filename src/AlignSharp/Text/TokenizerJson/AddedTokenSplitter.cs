namespace AlignSharp.Text.TokenizerJson;

/// <summary>
/// One piece of text after added tokens are cut out: either an added token's id or plain text, and the
/// characters [Start, End) of the split text it covers (an lstrip/rstrip token's include the whitespace it swallowed).
/// </summary>
internal readonly record struct TextSegment(string? Text, int TokenId, int Start, int End)
{
    public bool IsToken => Text is null;
}

/// <summary>
/// Cuts added tokens out of text, leftmost-longest like Hugging Face's AddedVocabulary, honouring
/// single_word (no word character on either side) and lstrip/rstrip (the token swallows adjacent whitespace).
/// </summary>
internal sealed class AddedTokenSplitter
{
    // Candidates grouped by first character, longest first, so the first hit at a position is the longest.
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ThenBy(t => t.Id).ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    public void Split(string text, List<TextSegment> output)
    {
        if (IsEmpty || text.Length == 0)
        {
            if (text.Length > 0) output.Add(new TextSegment(text, -1, 0, text.Length));
            return;
        }
        var plainStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!TryMatchAt(text, i, out var token))
            {
                i++;
                continue;
            }
            var start = i;
            var end = i + token.Content.Length;
            if (token.LStrip) while (start > plainStart && char.IsWhiteSpace(text[start - 1])) start--;
            if (token.RStrip) while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > plainStart) output.Add(new TextSegment(text[plainStart..start], -1, plainStart, start));
            output.Add(new TextSegment(null, token.Id, start, end));
            plainStart = i = end;
        }
        if (plainStart < text.Length) output.Add(new TextSegment(text[plainStart..], -1, plainStart, text.Length));
    }

    private bool TryMatchAt(string text, int position, out AddedToken token)
    {
        token = null!;
        if (!_byFirstChar.TryGetValue(text[position], out var candidates)) return false;
        foreach (var candidate in candidates)
        {
            if (string.CompareOrdinal(text, position, candidate.Content, 0, candidate.Content.Length) != 0) continue;
            if (candidate.SingleWord && !IsWholeWord(text, position, position + candidate.Content.Length)) continue;
            token = candidate;
            return true;
        }
        return false;
    }

    private static bool IsWholeWord(string text, int start, int end) =>
        (start == 0 || !IsWordChar(text[start - 1])) && (end == text.Length || !IsWordChar(text[end]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
