namespace AlignSharp.Text;

/// <summary>
/// The ids of one text and, for each, where it came from in that text. Offsets are monotonic (starts and
/// ends never decrease) and, for the tokenizers here, cover every character the normalizer keeps.
/// </summary>
public sealed record TokenEncoding(IReadOnlyList<int> Ids, IReadOnlyList<TokenOffset> Offsets)
{
    /// <summary>The first token whose range holds character <paramref name="index"/>, or null (transformers' char_to_token).</summary>
    public int? CharToToken(int index)
    {
        for (var i = 0; i < Offsets.Count; i++)
            if (Offsets[i].Contains(index)) return i;
        return null;
    }
}
