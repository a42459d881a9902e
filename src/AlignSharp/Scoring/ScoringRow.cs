namespace AlignSharp.Scoring;

/// <summary>
/// One sequence to score: the prompt conditions, only the completion's tokens are scored.
/// Both are token ids from the one tokenisation path (DESIGN.md pitfall 3); the prompt must hold at
/// least one token (e.g. BOS), since the first completion token is predicted from the last prompt token.
/// </summary>
public sealed record ScoringRow(IReadOnlyList<int> PromptIds, IReadOnlyList<int> CompletionIds);
