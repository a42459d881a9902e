namespace AlignSharp.Tasks.FrozenLake;

/// <summary>
/// Classical value iteration on a deterministic map: V(s) = max_a [r(s,a) + γ V(s')], with V = 0 on
/// terminal cells, iterated until no value moves by more than the tolerance. The teacher of the IFT study.
/// </summary>
public static class ValueIteration
{
    public static ValueIterationResult Solve(FrozenLakeMap map, double gamma = 0.9, double tolerance = 1e-12, int maxIterations = 10_000)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!(gamma > 0 && gamma < 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "the discount must be in (0, 1) so that shorter paths are worth more");
        var values = new double[map.StateCount];
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            double change = 0;
            var next = new double[map.StateCount];
            foreach (int s in map.NonTerminalStates)
            {
                next[s] = Enumerable.Range(0, FrozenLakeMap.ActionCount).Max(a => Backup(map, values, gamma, s, (FrozenLakeAction)a));
                change = Math.Max(change, Math.Abs(next[s] - values[s]));
            }
            values = next;
            if (change <= tolerance) return new ValueIterationResult(values, QTable(map, values, gamma), gamma, iteration);
        }
        throw new InvalidOperationException($"value iteration did not converge to {tolerance} in {maxIterations} iterations");
    }

    /// <summary>r(s, a) + γ V(s'), where V(s') = 0 when s' is terminal.</summary>
    public static double Backup(FrozenLakeMap map, IReadOnlyList<double> values, double gamma, int state, FrozenLakeAction action)
    {
        var move = map.Step(state, action);
        return move.Reward + (move.Terminal ? 0.0 : gamma * values[move.NextState]);
    }

    static double[,] QTable(FrozenLakeMap map, double[] values, double gamma)
    {
        var q = new double[map.StateCount, FrozenLakeMap.ActionCount];
        foreach (int s in map.NonTerminalStates)
            for (int a = 0; a < FrozenLakeMap.ActionCount; a++)
                q[s, a] = Backup(map, values, gamma, s, (FrozenLakeAction)a);
        return q;
    }
}
