namespace AlignSharp.Text.ChatTemplates;

/// <summary>
/// A conversation rendered by a chat template. <see cref="AssistantSpans"/> holds, per assistant
/// message in order, the characters the model itself produces for that turn: everything the
/// template writes after the assistant's role header, up to and including the end-of-turn marker
/// (e.g. <c>&lt;|im_end|&gt;</c>, <c>&lt;|eot_id|&gt;</c>, <c>&lt;/s&gt;</c>), so the model learns to stop.
/// Whitespace the template puts between the header and the content (Llama 2's and Mistral's " ")
/// stays outside; a tokenizer may glue it to the content's first token, so map spans to tokens by
/// offsets, never by re-tokenising substrings.
/// The text already holds every special token the template writes (BOS included): encode it with
/// addSpecialTokens false, or the BOS is doubled.
/// </summary>
public sealed record RenderedChat(string Text, IReadOnlyList<CharSpan> AssistantSpans)
{
    /// <summary>The text of one assistant span (content plus end-of-turn marker).</summary>
    public string AssistantText(int index) =>
        Text.Substring(AssistantSpans[index].Start, AssistantSpans[index].Length);
}
