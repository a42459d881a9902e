namespace AlignSharp.Tasks.FrozenLake;

/// <summary>How far a policy's state-action probability table is from the teacher's.</summary>
public static class PolicyTableError
{
    /// <summary>
    /// Mean squared error over the given states × all four actions: Σ_s Σ_a (p(a|s) − p*(a|s))² / (|S|·4).
    /// </summary>
    public static double MeanSquared(double[,] policy, double[,] target, IReadOnlyCollection<int> states)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(states);
        if (policy.GetLength(1) != target.GetLength(1))
            throw new ArgumentException($"the tables have {policy.GetLength(1)} and {target.GetLength(1)} action columns");
        if (states.Count == 0) throw new ArgumentException("no states to compare", nameof(states));
        double sum = 0;
        foreach (int s in states)
            for (int a = 0; a < policy.GetLength(1); a++)
            {
                double d = policy[s, a] - target[s, a];
                sum += d * d;
            }
        return sum / (states.Count * policy.GetLength(1));
    }
}
