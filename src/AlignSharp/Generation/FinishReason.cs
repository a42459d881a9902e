namespace AlignSharp.Generation;

/// <summary>Why a generated row stopped.</summary>
public enum FinishReason
{
    /// <summary>Reached <see cref="GenerationOptions.MaxNewTokens"/>.</summary>
    Length,
    /// <summary>Sampled one of the stop token ids (EOS included).</summary>
    StopToken,
    /// <summary>The decoded text came to contain one of the stop strings.</summary>
    StopString,
}
