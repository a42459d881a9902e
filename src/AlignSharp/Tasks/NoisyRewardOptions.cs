namespace AlignSharp.Tasks;

/// <summary>
/// How <see cref="NoisyReward"/> corrupts a task's true reward r ∈ [lo, hi]: it is mapped to [0, 1]
/// (as A-LoL's HHA rewards are squashed into [0, 1]), Gaussian noise of <see cref="NoiseStd"/> is added
/// and the result clipped to [0, 1]. The noise is a hash of (seed, prompt, completion): the same row
/// always gets the same noisy reward, so the data and the value head see one consistent scorer.
/// </summary>
public sealed record NoisyRewardOptions
{
    public double NoiseStd { get; init; } = 0.25;

    public int Seed { get; init; }

    /// <summary>The true reward's range (the sentiment task's is [−1, 1]).</summary>
    public double TrueMin { get; init; } = -1;

    public double TrueMax { get; init; } = 1;
}
