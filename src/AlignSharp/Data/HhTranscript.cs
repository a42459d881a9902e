namespace AlignSharp.Data;

/// <summary>Anthropic HH transcripts: "\n\nHuman: ...\n\nAssistant: ..." with the final assistant reply as the completion.</summary>
public static class HhTranscript
{
    public const string AssistantMarker = "\n\nAssistant:";

    /// <summary>
    /// Splits at the LAST <see cref="AssistantMarker"/>: the prompt keeps the marker (so the model sees the
    /// turn header), the completion is what follows it (its leading space included, as HH writes it).
    /// Returns false when the transcript has no marker.
    /// </summary>
    public static bool TrySplit(string transcript, out string prompt, out string completion)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        int index = transcript.LastIndexOf(AssistantMarker, StringComparison.Ordinal);
        if (index < 0)
        {
            prompt = completion = "";
            return false;
        }
        int end = index + AssistantMarker.Length;
        prompt = transcript[..end];
        completion = transcript[end..];
        return true;
    }
}
