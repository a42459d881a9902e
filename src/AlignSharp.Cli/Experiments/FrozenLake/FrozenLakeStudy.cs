using AlignSharp.Tasks.FrozenLake;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// The fixed data of the study: the map, the teacher's table from value iteration, the optimal and
/// sub-optimal trajectories (the map's two simple paths, shortest first), and the states the error is measured on.
/// </summary>
public sealed record FrozenLakeStudy(
    FrozenLakeMap Map,
    ValueIterationResult Teacher,
    double[,] TeacherTable,
    FrozenLakeTrajectory Optimal,
    FrozenLakeTrajectory SubOptimal)
{
    /// <summary>All cells where an action is chosen: the main metric's states.</summary>
    public IReadOnlyList<int> AllStates => Map.NonTerminalStates;

    /// <summary>The cells the optimal trajectory visits (what SFT and IFT see): the secondary metric's states.</summary>
    public IReadOnlyList<int> OptimalPathStates => Optimal.States.ToArray();

    public static FrozenLakeStudy Create(FrozenLakeMap map, double valueIterationGamma)
    {
        ArgumentNullException.ThrowIfNull(map);
        var paths = map.SimplePaths();
        if (paths.Count != 2 || paths[0].Length == paths[1].Length)
            throw new ArgumentException($"the study needs a map with exactly two simple paths of different lengths; this one has {paths.Count}");
        var teacher = ValueIteration.Solve(map, valueIterationGamma);
        if (!teacher.GreedyRollout(map).Steps.SequenceEqual(paths[0].Steps))
            throw new InvalidOperationException("value iteration's greedy policy does not walk the shortest path");
        return new FrozenLakeStudy(map, teacher, teacher.OptimalPolicyTable(map), paths[0], paths[1]);
    }
}
