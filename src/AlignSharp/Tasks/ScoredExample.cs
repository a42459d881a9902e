using System.Text.Json.Serialization;
using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>A completion with its reward, TRL's scored layout: <c>{"prompt": ..., "completion": ..., "reward": ...}</c>.</summary>
public sealed record ScoredExample(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("completion")] string Completion,
    [property: JsonPropertyName("reward")] double Reward)
{
    /// <summary>Scores every input with <paramref name="reward"/> (checked: one finite score each).</summary>
    public static IReadOnlyList<ScoredExample> ScoreAll(IRewardFunction reward, IReadOnlyList<RewardInput> samples)
    {
        IReadOnlyList<double> scores = reward.ScoreChecked(samples);
        var rows = new ScoredExample[samples.Count];
        for (int i = 0; i < rows.Length; i++) rows[i] = new ScoredExample(samples[i].Prompt, samples[i].Completion, scores[i]);
        return rows;
    }
}
