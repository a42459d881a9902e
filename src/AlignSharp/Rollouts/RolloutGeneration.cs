namespace AlignSharp.Rollouts;

/// <summary>
/// One generation as the recipe sees it after sampling and scoring: which optimizer step it feeds first (1-based), its
/// completions as training examples, the prompts' texts, and the generation's metrics (rewards, lengths, time split).
/// </summary>
public sealed record RolloutGeneration(int Index, int FirstStep, IReadOnlyList<RolloutExample> Examples,
    IReadOnlyList<string> PromptTexts, IReadOnlyDictionary<string, double> Metrics);
