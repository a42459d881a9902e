namespace AlignSharp.Tasks.FrozenLake;

/// <summary>Optimal state values V*, action values Q* (rows = states, zero on terminal cells) and how many sweeps it took.</summary>
public sealed record ValueIterationResult(IReadOnlyList<double> Values, double[,] Q, double Gamma, int Iterations)
{
    /// <summary>Actions within <paramref name="tieTolerance"/> of the best Q at a state (ties are real on a grid loop).</summary>
    public IReadOnlyList<FrozenLakeAction> BestActions(int state, double tieTolerance = 1e-12)
    {
        double best = Enumerable.Range(0, FrozenLakeMap.ActionCount).Max(a => Q[state, a]);
        return Enumerable.Range(0, FrozenLakeMap.ActionCount).Where(a => Q[state, a] >= best - tieTolerance).Select(a => (FrozenLakeAction)a).ToArray();
    }

    /// <summary>
    /// The teacher's state-action table: the optimal (greedy) policy, one-hot on the argmax of Q*,
    /// split evenly when several actions tie. Rows of terminal cells are all zero.
    /// </summary>
    public double[,] OptimalPolicyTable(FrozenLakeMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var table = new double[map.StateCount, FrozenLakeMap.ActionCount];
        foreach (int s in map.NonTerminalStates)
        {
            var best = BestActions(s);
            foreach (var a in best) table[s, (int)a] = 1.0 / best.Count;
        }
        return table;
    }

    /// <summary>Follows the greedy policy from the start (first best action on ties) until the episode ends or <paramref name="maxSteps"/>.</summary>
    public FrozenLakeTrajectory GreedyRollout(FrozenLakeMap map, int maxSteps = 1000)
    {
        ArgumentNullException.ThrowIfNull(map);
        var steps = new List<FrozenLakeStep>();
        int state = map.StartState;
        while (!map.IsTerminal(state) && steps.Count < maxSteps)
        {
            var action = BestActions(state)[0];
            steps.Add(new FrozenLakeStep(state, action));
            state = map.Step(state, action).NextState;
        }
        return new FrozenLakeTrajectory(steps);
    }
}
