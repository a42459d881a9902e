namespace AlignSharp.Rewards;

/// <summary>
/// One sequence to score: the prompt and the completion the policy (or a dataset) gave for it. Online methods also
/// pass what TRL passes its reward functions: the completion's token ids, the dataset row's columns (e.g. an answer to
/// check against), and where the row came from, so an error can name it.
/// </summary>
public sealed record RewardInput(string Prompt, string Completion)
{
    /// <summary>The sampled token ids of the completion (stop token included); null when the completion came as text.</summary>
    public IReadOnlyList<int>? CompletionIds { get; init; }

    /// <summary>The prompt's dataset row as read (every column); null when the prompt did not come from a dataset file.</summary>
    public System.Text.Json.JsonElement? Row { get; init; }

    /// <summary>file:line of the prompt's row, for errors; null when unknown.</summary>
    public string? Source { get; init; }
}
