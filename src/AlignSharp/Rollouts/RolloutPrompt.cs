using AlignSharp.Data;

namespace AlignSharp.Rollouts;

/// <summary>
/// One prompt of an online run: its ids as the policy is prompted (the chat template applied with the generation
/// prompt for message lists), the text rewards see, and the dataset row it came from (rewards may read its columns).
/// </summary>
public sealed record RolloutPrompt(IReadOnlyList<int> Ids, string Text, PromptRow? Row);
