namespace AlignSharp.Tasks.FrozenLake;

/// <summary>
/// A start-to-goal walk as a sequence of (state, action): the "token sequence" the policies train on.
/// The state after the last action is the goal and is not a step (nothing is chosen there).
/// </summary>
public sealed record FrozenLakeTrajectory(IReadOnlyList<FrozenLakeStep> Steps)
{
    public int Length => Steps.Count;

    /// <summary>The cells visited before each move, in order (the goal excluded).</summary>
    public IEnumerable<int> States => Steps.Select(s => s.State);

    /// <summary>The trajectory that walks a path of cells (consecutive cells must be neighbours).</summary>
    public static FrozenLakeTrajectory FromPath(FrozenLakeMap map, IReadOnlyList<int> cells)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count < 2) throw new ArgumentException("a path needs at least a start and an end cell", nameof(cells));
        var steps = new List<FrozenLakeStep>(cells.Count - 1);
        for (int i = 0; i + 1 < cells.Count; i++)
        {
            FrozenLakeAction action = map.ActionBetween(cells[i], cells[i + 1])
                ?? throw new ArgumentException($"cells {cells[i]} and {cells[i + 1]} (path positions {i}, {i + 1}) are not neighbours", nameof(cells));
            steps.Add(new FrozenLakeStep(cells[i], action));
        }
        return new FrozenLakeTrajectory(steps);
    }

    public override string ToString() => string.Join(" ", Steps.Select(s => $"{s.State}:{s.Action}"));
}
