using AlignSharp.Text;
using AlignSharp.Text.ChatTemplates;

namespace AlignSharp.Data;

/// <summary>
/// Which tokens a character span trains, by transformers' rule (apply_chat_template with
/// return_assistant_tokens_mask=True): from the token holding the span's first character to the token
/// holding its last. A token that straddles a span edge (Llama 2's "▁A" gluing the separator space to the
/// content, byte-level BPE's "\n\n" across a header's newline) is therefore trained on. Where tokens share a
/// character (its UTF-8 bytes split over several byte tokens) all of them count, so a masked run always
/// spells whole characters; zero-width tokens between the two ends count too.
/// </summary>
public static class AssistantTokenMask
{
    /// <summary>One flag per token of <paramref name="offsets"/>: true inside any of <paramref name="spans"/>.</summary>
    public static bool[] Build(IReadOnlyList<TokenOffset> offsets, IEnumerable<CharSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(spans);
        var mask = new bool[offsets.Count];
        foreach (CharSpan span in spans)
        {
            if (span.Length <= 0) continue;
            // First token holding (or, past a character no token holds, following) the span's first character.
            int first = 0;
            while (first < offsets.Count && (offsets[first].IsEmpty || offsets[first].End <= span.Start)) first++;
            // Last token holding the span's last character.
            int last = offsets.Count - 1;
            while (last >= 0 && (offsets[last].IsEmpty || offsets[last].Start >= span.End)) last--;
            for (int i = first; i <= last; i++) mask[i] = true;
        }
        return mask;
    }
}
