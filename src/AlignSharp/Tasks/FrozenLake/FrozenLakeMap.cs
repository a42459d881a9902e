namespace AlignSharp.Tasks.FrozenLake;

/// <summary>
/// A deterministic (not slippery) Frozen Lake grid, with Gymnasium's rules: states are cells numbered
/// row by row, a move off the edge leaves the agent where it is, a hole ends the episode with reward 0,
/// the goal ends it with reward 1, every other move earns 0.
/// </summary>
public sealed class FrozenLakeMap
{
    readonly FrozenLakeTile[] _tiles;

    public FrozenLakeMap(IReadOnlyList<string> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0 || rows[0].Length == 0) throw new ArgumentException("a map needs at least one row and one column", nameof(rows));
        Rows = rows.Count;
        Columns = rows[0].Length;
        _tiles = new FrozenLakeTile[Rows * Columns];
        for (int r = 0; r < Rows; r++)
        {
            if (rows[r].Length != Columns)
                throw new ArgumentException($"map row {r} has {rows[r].Length} cells, row 0 has {Columns}", nameof(rows));
            for (int c = 0; c < Columns; c++)
            {
                _tiles[r * Columns + c] = rows[r][c] switch
                {
                    'S' => FrozenLakeTile.Start,
                    'F' => FrozenLakeTile.Frozen,
                    'H' => FrozenLakeTile.Hole,
                    'G' => FrozenLakeTile.Goal,
                    char other => throw new ArgumentException($"map row {r}, column {c}: '{other}' is not one of S, F, H, G", nameof(rows)),
                };
            }
        }
        StartState = Single(FrozenLakeTile.Start);
        GoalState = Single(FrozenLakeTile.Goal);
        Layout = rows.ToArray();
    }

    /// <summary>
    /// The map of this project's IFT Frozen Lake study (the paper's own map was not published):
    /// a loop of ice around a block of holes with the goal on it, so there are exactly two hole-free
    /// simple paths from S to G, one of 6 moves (down the left side) and one of 8 (along the top and down the right).
    /// </summary>
    public static FrozenLakeMap TwoPaths { get; } = new([
        "SFFFF",
        "FHHHF",
        "FHHHF",
        "FFFGF",
    ]);

    public int Rows { get; }
    public int Columns { get; }
    public int StateCount => _tiles.Length;
    public int StartState { get; }
    public int GoalState { get; }
    public IReadOnlyList<string> Layout { get; }

    public static int ActionCount => 4;

    public FrozenLakeTile Tile(int state) => _tiles[state];

    /// <summary>Holes and the goal end an episode; no action is chosen there.</summary>
    public bool IsTerminal(int state) => _tiles[state] is FrozenLakeTile.Hole or FrozenLakeTile.Goal;

    /// <summary>The cells where the agent chooses an action (start and frozen cells), in state order.</summary>
    public IReadOnlyList<int> NonTerminalStates => Enumerable.Range(0, StateCount).Where(s => !IsTerminal(s)).ToArray();

    public FrozenLakeTransition Step(int state, FrozenLakeAction action)
    {
        if (IsTerminal(state)) throw new InvalidOperationException($"state {state} is terminal ({_tiles[state]}): the episode has ended");
        int row = state / Columns, column = state % Columns;
        (row, column) = action switch
        {
            FrozenLakeAction.Left => (row, Math.Max(column - 1, 0)),
            FrozenLakeAction.Down => (Math.Min(row + 1, Rows - 1), column),
            FrozenLakeAction.Right => (row, Math.Min(column + 1, Columns - 1)),
            FrozenLakeAction.Up => (Math.Max(row - 1, 0), column),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action"),
        };
        int next = row * Columns + column;
        return new FrozenLakeTransition(next, _tiles[next] == FrozenLakeTile.Goal ? 1.0 : 0.0, IsTerminal(next));
    }

    /// <summary>The action that moves from one cell to a neighbouring one, or null if they are not neighbours.</summary>
    public FrozenLakeAction? ActionBetween(int from, int to)
    {
        foreach (FrozenLakeAction action in Enum.GetValues<FrozenLakeAction>())
        {
            if (!IsTerminal(from) && Step(from, action).NextState == to && from != to) return action;
        }
        return null;
    }

    /// <summary>
    /// Every start-to-goal walk that visits no cell twice and steps in no hole, shortest first:
    /// the study needs exactly two of them.
    /// </summary>
    public IReadOnlyList<FrozenLakeTrajectory> SimplePaths()
    {
        var found = new List<IReadOnlyList<int>>();
        var path = new List<int> { StartState };
        var onPath = new HashSet<int> { StartState };
        Extend();
        return found.OrderBy(p => p.Count).Select(p => FrozenLakeTrajectory.FromPath(this, p)).ToArray();

        void Extend()
        {
            int here = path[^1];
            foreach (FrozenLakeAction action in Enum.GetValues<FrozenLakeAction>())
            {
                var move = Step(here, action);
                if (move.NextState == here || onPath.Contains(move.NextState) || _tiles[move.NextState] == FrozenLakeTile.Hole) continue;
                path.Add(move.NextState);
                if (move.NextState == GoalState) found.Add(path.ToArray());
                else
                {
                    onPath.Add(move.NextState);
                    Extend();
                    onPath.Remove(move.NextState);
                }
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    int Single(FrozenLakeTile tile)
    {
        int[] cells = Enumerable.Range(0, _tiles.Length).Where(s => _tiles[s] == tile).ToArray();
        return cells.Length == 1 ? cells[0] : throw new ArgumentException($"a map needs exactly one {tile} cell, found {cells.Length}");
    }
}
