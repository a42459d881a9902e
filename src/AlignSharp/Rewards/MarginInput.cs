namespace AlignSharp.Rewards;

/// <summary>
/// One response a MODPO margin scorer rates: its text (for programmatic rewards and reward models) and the exact
/// token ids the policy trains on (for implicit rewards, so they score the same tokens; completion ids include EOS).
/// </summary>
public sealed record MarginInput(string Prompt, string Completion, IReadOnlyList<int> PromptIds, IReadOnlyList<int> CompletionIds);
