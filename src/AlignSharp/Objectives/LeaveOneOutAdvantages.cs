namespace AlignSharp.Objectives;

/// <summary>
/// RLOO's advantages (Ahmadian et al. 2024; TRL's RLOOTrainer): each of the k completions of a prompt is compared with
/// the mean reward of the other k − 1, A_i = r_i − (Σ_j r_j − r_i)/(k − 1). With k = 2 the baseline is the other sample.
/// Optionally whitened over the batch (TRL's <c>normalize_advantages</c>, off by default).
/// </summary>
public static class LeaveOneOutAdvantages
{
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (groupSize < 2) throw new ArgumentException($"num_generations = {groupSize}: RLOO's leave-one-out baseline needs at least 2 completions per prompt");
        if (rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards are not whole groups of {groupSize}", nameof(rewards));
        var advantages = new double[rewards.Count];
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            // Exactly 0 for a constant group: (Σ − r_i)/(k − 1) can miss r_i by an ulp.
            if (GroupAdvantages.IsConstant(rewards, start, groupSize)) continue;
            double sum = 0;
            for (int i = start; i < start + groupSize; i++) sum += rewards[i];
            for (int i = start; i < start + groupSize; i++) advantages[i] = rewards[i] - (sum - rewards[i]) / (groupSize - 1);
        }
        if (normalize)
        {
            double mean = advantages.Average();
            double std = GroupAdvantages.SampleStd(advantages, 0, advantages.Length);
            for (int i = 0; i < advantages.Length; i++) advantages[i] = (advantages[i] - mean) / (std + GroupAdvantages.Epsilon);
        }
        return advantages;
    }
}
