namespace AlignSharp.Rewards;

/// <summary>
/// Any <see cref="IRewardFunction"/> (a programmatic reward such as <see cref="LengthReward"/> or a task's true
/// reward, a <see cref="ModelReward"/> folder) as a MODPO margin scorer, on the text of prompt and completion.
/// </summary>
public sealed class RewardMarginScorer(IRewardFunction reward, bool ownsReward = true) : IMarginScorer
{
    public string Name => reward.Name;

    public IReadOnlyList<double> Score(IReadOnlyList<MarginInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return reward.ScoreChecked(batch.Select(i => new RewardInput(i.Prompt, i.Completion)).ToArray());
    }

    public void Dispose()
    {
        if (ownsReward && reward is IDisposable disposable) disposable.Dispose();
    }
}
