namespace AlignSharp.Data;

/// <summary>
/// One training sequence as the model sees it: <see cref="InputIds"/> = prompt ids then completion ids,
/// and a per-token <see cref="LossMask"/> that is true exactly on the tokens the model is trained to produce
/// (plain text: the completion and its EOS; conversations: the assistant turns, end-of-turn marker included).
/// The mask comes from token positions, never from re-tokenising strings (DESIGN.md pitfall 3).
/// </summary>
/// <param name="InputIds">Prompt ids then completion ids.</param>
/// <param name="LossMask">One flag per id: true where the token is trained on.</param>
/// <param name="PromptLength">Tokens before the completion (for conversations: before the first trained assistant turn).</param>
/// <param name="CompletionWasEmpty">The row's completion had no text (reported by the validator).</param>
/// <param name="PromptTokensTruncated">Tokens cut from the left of the prompt by truncation.</param>
/// <param name="CompletionTokensTruncated">Tokens cut from the right of the completion by truncation.</param>
public sealed record TokenizedSequence(
    IReadOnlyList<int> InputIds,
    IReadOnlyList<bool> LossMask,
    int PromptLength,
    bool CompletionWasEmpty = false,
    int PromptTokensTruncated = 0,
    int CompletionTokensTruncated = 0)
{
    public int Length => InputIds.Count;

    public IEnumerable<int> PromptIds => InputIds.Take(PromptLength);

    public IEnumerable<int> CompletionIds => InputIds.Skip(PromptLength);

    public int CompletionLength => InputIds.Count - PromptLength;

    /// <summary>Tokens that count in the loss.</summary>
    public int LossTokenCount => LossMask.Count(m => m);

    /// <summary>The ids the loss is computed on, in order.</summary>
    public IEnumerable<int> LossIds => InputIds.Where((_, i) => LossMask[i]);

    /// <summary>Truncation removed every token that counted in the loss.</summary>
    public bool CompletionTruncatedAway => CompletionTokensTruncated > 0 && LossTokenCount == 0;
}
