using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>A task's true reward seen through noise (<see cref="NoisyRewardOptions"/>): the alol-noisy experiment's training signal.</summary>
public sealed class NoisyReward : IRewardFunction
{
    private readonly IRewardFunction _truth;

    public NoisyReward(IRewardFunction truth, NoisyRewardOptions options)
    {
        _truth = truth ?? throw new ArgumentNullException(nameof(truth));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (!(options.NoiseStd >= 0) || !(options.TrueMax > options.TrueMin))
            throw new ArgumentException("noisy reward: noise_std must be ≥ 0 and the true range non-empty", nameof(options));
    }

    public NoisyRewardOptions Options { get; }

    public string Name => _truth.Name + "_noisy";

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        var truth = _truth.ScoreChecked(batch);
        var scores = new double[batch.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            double unit = (truth[i] - Options.TrueMin) / (Options.TrueMax - Options.TrueMin);
            scores[i] = Math.Clamp(unit + Options.NoiseStd * Gaussian(batch[i]), 0, 1);
        }
        return scores;
    }

    // Box–Muller on two uniforms hashed from the row, so the noise needs no mutable generator.
    private double Gaussian(RewardInput input)
    {
        ulong key = StableHash.Fnv1a64($"{Options.Seed}\u0001{input.Prompt}\u0001{input.Completion}");
        double u1 = ((StableHash.Mix64(key) >> 11) + 1.0) / ((1UL << 53) + 1.0);
        double u2 = (StableHash.Mix64(key ^ 0x9E3779B97F4A7C15UL) >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
