namespace AlignSharp.Rewards;

/// <summary>
/// r(x, y) = −(completion tokens, EOS included): the official MODPO length penalty (−#tokens(y)),
/// counted on the ids the policy trains on.
/// </summary>
public sealed class TokenLengthMarginScorer : IMarginScorer
{
    public string Name => "negative_length_tokens";

    public IReadOnlyList<double> Score(IReadOnlyList<MarginInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Select(i => -(double)i.CompletionIds.Count).ToArray();
    }

    public void Dispose()
    {
    }
}
