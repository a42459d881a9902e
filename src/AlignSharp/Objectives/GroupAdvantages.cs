namespace AlignSharp.Objectives;

/// <summary>How GRPO scales the centred rewards (TRL's <c>scale_rewards</c>).</summary>
public enum RewardScaling
{
    /// <summary>÷ the group's standard deviation (the original GRPO; TRL's default).</summary>
    Group,
    /// <summary>÷ the standard deviation of the whole generation batch (more robust to groups of near-equal rewards).</summary>
    Batch,
    /// <summary>No scaling (Dr. GRPO: the std division biases towards easy and hard prompts).</summary>
    None,
}

/// <summary>
/// GRPO's advantages: each completion's reward minus the mean reward of its group (the completions of the same prompt),
/// optionally divided by a standard deviation plus ε = 1e-4, TRL's. Standard deviations are torch.std's (Bessel-corrected).
/// A group whose rewards are all equal gets advantage 0 for every completion: it carries no policy gradient.
/// </summary>
public static class GroupAdvantages
{
    public const double Epsilon = 1e-4;

    /// <param name="rewards">Completions in groups of <paramref name="groupSize"/> consecutive entries.</param>
    /// <param name="groupSize">num_generations.</param>
    /// <param name="scaling">scale_rewards.</param>
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, RewardScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        if (rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards are not whole groups of {groupSize}", nameof(rewards));
        var advantages = new double[rewards.Count];
        double batchStd = SampleStd(rewards, 0, rewards.Count);
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            // A constant group stays at exactly 0: its mean in floating point can miss the common value by an ulp
            // (0.1 × 8), and ÷ (std + ε) would turn that residue into a spurious ~1e-13 advantage.
            if (IsConstant(rewards, start, groupSize)) continue;
            double mean = 0;
            for (int i = start; i < start + groupSize; i++) mean += rewards[i];
            mean /= groupSize;
            double scale = scaling switch
            {
                RewardScaling.Group => SampleStd(rewards, start, groupSize) + Epsilon,
                RewardScaling.Batch => batchStd + Epsilon,
                _ => 1.0,
            };
            for (int i = start; i < start + groupSize; i++) advantages[i] = (rewards[i] - mean) / scale;
        }
        return advantages;
    }

    /// <summary>True when the <paramref name="count"/> values from <paramref name="start"/> are all equal.</summary>
    internal static bool IsConstant(IReadOnlyList<double> values, int start, int count)
    {
        for (int i = start + 1; i < start + count; i++)
            if (values[i] != values[start]) return false;
        return true;
    }

    /// <summary>Bessel-corrected standard deviation of <paramref name="count"/> values from <paramref name="start"/>; 0 for one value.</summary>
    public static double SampleStd(IReadOnlyList<double> values, int start, int count)
    {
        if (count < 2) return 0;
        double mean = 0;
        for (int i = start; i < start + count; i++) mean += values[i];
        mean /= count;
        double sum = 0;
        for (int i = start; i < start + count; i++) sum += (values[i] - mean) * (values[i] - mean);
        return Math.Sqrt(sum / (count - 1));
    }

    public static RewardScaling ParseScaling(string name) => name.Trim().ToLowerInvariant() switch
    {
        "group" or "true" => RewardScaling.Group,
        "batch" => RewardScaling.Batch,
        "none" or "false" => RewardScaling.None,
        _ => throw new ArgumentException($"scale_rewards = {name}: expected group, batch or none"),
    };
}
