namespace AlignSharp.Tasks;

/// <summary>Settings of <see cref="SentimentTask"/>.</summary>
public sealed record SentimentOptions
{
    /// <summary>Share of the review openings reserved for evaluation (strictly between 0 and 1).</summary>
    public double HeldOutShare { get; init; } = 0.2;

    internal void Validate() => PromptSplit.ValidateShare(HeldOutShare);
}
