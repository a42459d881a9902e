namespace AlignSharp.Rewards;

/// <summary>A programmatic reward from a function of one (prompt, completion); scores a batch by looping.</summary>
public sealed class DelegateReward : IRewardFunction
{
    readonly Func<RewardInput, double> _score;

    public DelegateReward(string name, Func<RewardInput, double> score)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a reward needs a non-empty name", nameof(name));
        Name = name;
        _score = score ?? throw new ArgumentNullException(nameof(score));
    }

    public string Name { get; }

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new double[batch.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = _score(batch[i]);
        return scores;
    }
}
