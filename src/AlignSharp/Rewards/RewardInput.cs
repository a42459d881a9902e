namespace AlignSharp.Rewards;

/// <summary>One sequence to score: the prompt and the completion the policy (or a dataset) gave for it.</summary>
public sealed record RewardInput(string Prompt, string Completion);
