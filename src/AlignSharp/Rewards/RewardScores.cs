namespace AlignSharp.Rewards;

/// <summary>Checks a reward's output before anyone uses it: a wrong count or a NaN fails loudly, naming the reward.</summary>
public static class RewardScores
{
    /// <summary>
    /// Calls <paramref name="reward"/> on <paramref name="batch"/> and returns its scores after checking there is
    /// exactly one finite score per input.
    /// </summary>
    public static IReadOnlyList<double> ScoreChecked(this IRewardFunction reward, IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<double> scores = reward.Score(batch)
            ?? throw new InvalidOperationException($"reward \"{reward.Name}\" returned no scores");
        if (scores.Count != batch.Count)
            throw new InvalidOperationException($"reward \"{reward.Name}\" returned {scores.Count} scores for a batch of {batch.Count}");
        for (int i = 0; i < scores.Count; i++)
        {
            if (!double.IsFinite(scores[i]))
                throw new InvalidOperationException(
                    $"reward \"{reward.Name}\" returned {scores[i]} for batch element {i} (prompt: {Preview(batch[i].Prompt)}, completion: {Preview(batch[i].Completion)})");
        }
        return scores;
    }

    static string Preview(string text) => text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..57]}...\"";
}
