using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>Checks generated pairs against the true reward, so a template mistake fails here rather than silently teaching the wrong preference.</summary>
static class PreferenceInvariant
{
    public static IReadOnlyList<PreferencePair> EnsureChosenIsBetter(IRewardFunction trueReward, IReadOnlyList<PreferencePair> pairs)
    {
        IReadOnlyList<double> chosen = trueReward.ScoreChecked(pairs.Select(p => new RewardInput(p.Prompt, p.Chosen)).ToArray());
        IReadOnlyList<double> rejected = trueReward.ScoreChecked(pairs.Select(p => new RewardInput(p.Prompt, p.Rejected)).ToArray());
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!(chosen[i] > rejected[i]))
                throw new InvalidOperationException(
                    $"internal error: generated pair {i} has chosen reward {chosen[i]} ≤ rejected reward {rejected[i]} " +
                    $"(prompt \"{pairs[i].Prompt}\", chosen \"{pairs[i].Chosen}\", rejected \"{pairs[i].Rejected}\")");
        }
        return pairs;
    }
}
