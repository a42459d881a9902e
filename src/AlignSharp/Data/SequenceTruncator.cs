namespace AlignSharp.Data;

/// <summary>
/// Applies <see cref="TruncationOptions"/>: first the prompt is cut from the left to max_prompt_length,
/// then the completion from the right so prompt + completion fit max_length. A prompt longer than
/// max_length on its own is cut from the left to max_length, leaving no completion: such rows are
/// counted here and reported by <see cref="DatasetValidator"/>, never dropped silently.
/// </summary>
public static class SequenceTruncator
{
    public static TruncationResult Truncate(IReadOnlyList<TokenizedRow> rows, TruncationOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var result = new List<TokenizedRow>(rows.Count);
        int sequences = 0, prompts = 0, completions = 0, away = 0;
        long promptTokens = 0, completionTokens = 0;
        foreach (TokenizedRow row in rows)
        {
            TokenizedRow truncated = row switch
            {
                TokenizedExample example => example with { Sequence = Truncate(example.Sequence, options) },
                TokenizedPair pair => pair with { Chosen = Truncate(pair.Chosen, options), Rejected = Truncate(pair.Rejected, options) },
                _ => throw new ArgumentException($"unknown row type {row.GetType().Name}", nameof(rows)),
            };
            IReadOnlyList<TokenizedSequence> cut = truncated.Sequences;
            // The prompt is shared by a pair's sequences and cut identically in both: count it once.
            if (cut[0].PromptTokensTruncated > 0)
            {
                prompts++;
                promptTokens += cut[0].PromptTokensTruncated;
            }
            foreach (TokenizedSequence sequence in cut)
            {
                sequences++;
                if (sequence.CompletionTokensTruncated > 0) completions++;
                if (sequence.CompletionTruncatedAway) away++;
                completionTokens += sequence.CompletionTokensTruncated;
            }
            result.Add(truncated);
        }
        return new TruncationResult(result, new TruncationReport(rows.Count, sequences, prompts, completions, away, promptTokens, completionTokens));
    }

    /// <summary>One sequence truncated per <paramref name="options"/> (adds to any earlier truncation counts).</summary>
    public static TokenizedSequence Truncate(TokenizedSequence sequence, TruncationOptions options)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int prompt = sequence.PromptLength;
        int completion = sequence.CompletionLength;
        int keepPrompt = Math.Min(prompt, options.MaxPromptLength ?? int.MaxValue);
        keepPrompt = Math.Min(keepPrompt, options.MaxLength ?? int.MaxValue);
        int keepCompletion = Math.Min(completion, Math.Max(0, (options.MaxLength ?? int.MaxValue) - keepPrompt));
        if (keepPrompt == prompt && keepCompletion == completion) return sequence;

        int from = prompt - keepPrompt, to = prompt + keepCompletion;
        return sequence with
        {
            InputIds = sequence.InputIds.Take(to).Skip(from).ToArray(),
            LossMask = sequence.LossMask.Take(to).Skip(from).ToArray(),
            PromptLength = keepPrompt,
            PromptTokensTruncated = sequence.PromptTokensTruncated + (prompt - keepPrompt),
            CompletionTokensTruncated = sequence.CompletionTokensTruncated + (completion - keepCompletion),
        };
    }
}
