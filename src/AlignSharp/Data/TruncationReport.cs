namespace AlignSharp.Data;

/// <summary>What truncation did, for the log. Prompts are counted per row (a pair shares one), completions per sequence.</summary>
public sealed record TruncationReport(
    int Rows,
    int Sequences,
    int PromptsTruncated,
    int CompletionsTruncated,
    int CompletionsTruncatedAway,
    long PromptTokensRemoved,
    long CompletionTokensRemoved)
{
    public override string ToString() =>
        $"truncation: {PromptsTruncated} of {Rows} prompts cut from the left ({PromptTokensRemoved} tokens), " +
        $"{CompletionsTruncated} of {Sequences} completions cut from the right ({CompletionTokensRemoved} tokens), " +
        $"{CompletionsTruncatedAway} completions truncated away entirely";
}
