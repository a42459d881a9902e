using AlignSharp.Tasks.FrozenLake;

namespace AlignSharp.Tests.Tasks;

public class FrozenLakeTests
{
    static readonly FrozenLakeMap Map = FrozenLakeMap.TwoPaths;

    [Fact]
    public void The_study_map_has_exactly_one_optimal_and_one_sub_optimal_path()
    {
        var paths = Map.SimplePaths();
        Assert.Equal(2, paths.Count);
        Assert.Equal(6, paths[0].Length);
        Assert.Equal(8, paths[1].Length);
        Assert.Equal(13, Map.NonTerminalStates.Count);
    }

    [Fact]
    public void Moves_follow_gymnasium_rules()
    {
        Assert.Equal(new FrozenLakeTransition(0, 0, false), Map.Step(0, FrozenLakeAction.Up));   // off the edge: stay
        Assert.Equal(new FrozenLakeTransition(6, 0, true), Map.Step(1, FrozenLakeAction.Down));  // hole: ends, no reward
        Assert.Equal(new FrozenLakeTransition(18, 1, true), Map.Step(17, FrozenLakeAction.Right)); // goal
        Assert.Throws<InvalidOperationException>(() => Map.Step(18, FrozenLakeAction.Left));
        Assert.Throws<ArgumentException>(() => new FrozenLakeMap(["SFX", "FFG"]));
        Assert.Throws<ArgumentException>(() => new FrozenLakeMap(["SFF", "FFF"]));
    }

    [Fact]
    public void Values_satisfy_the_bellman_optimality_equation()
    {
        var result = ValueIteration.Solve(Map, gamma: 0.9);
        foreach (int s in Map.NonTerminalStates)
        {
            double best = Enumerable.Range(0, 4).Max(a => ValueIteration.Backup(Map, result.Values, 0.9, s, (FrozenLakeAction)a));
            Assert.True(Math.Abs(result.Values[s] - best) <= 1e-9, $"state {s}: V = {result.Values[s]}, max backup = {best}");
        }
        // Deterministic map: V*(start) = γ^(moves − 1) for the 6-move path.
        Assert.Equal(Math.Pow(0.9, 5), result.Values[Map.StartState], 12);
    }

    [Fact]
    public void The_greedy_policy_walks_the_optimal_path()
    {
        var result = ValueIteration.Solve(Map);
        var rollout = result.GreedyRollout(Map);
        var optimal = Map.SimplePaths()[0];
        Assert.Equal(optimal.Steps, rollout.Steps);
        Assert.All(optimal.Steps.Take(3), s => Assert.Equal(FrozenLakeAction.Down, s.Action));
        Assert.All(optimal.Steps.Skip(3), s => Assert.Equal(FrozenLakeAction.Right, s.Action));
    }

    [Fact]
    public void The_teacher_table_is_one_hot_except_where_actions_tie()
    {
        var table = ValueIteration.Solve(Map).OptimalPolicyTable(Map);
        foreach (int s in Map.NonTerminalStates)
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(a => table[s, a]), 12);
        Assert.Equal(1.0, table[Map.StartState, (int)FrozenLakeAction.Down]);
        // Cell 1 is 7 moves from the goal either way round the loop: left and right tie.
        Assert.Equal(0.5, table[1, (int)FrozenLakeAction.Left]);
        Assert.Equal(0.5, table[1, (int)FrozenLakeAction.Right]);
        Assert.Equal(0.0, table[Map.GoalState, 0]);
    }

    [Fact]
    public void Mse_is_zero_on_the_teacher_and_known_for_the_uniform_policy()
    {
        var teacher = ValueIteration.Solve(Map).OptimalPolicyTable(Map);
        var states = Map.NonTerminalStates;
        Assert.Equal(0.0, PolicyTableError.MeanSquared(teacher, teacher, states.ToArray()));
        var uniform = new double[Map.StateCount, 4];
        foreach (int s in states) for (int a = 0; a < 4; a++) uniform[s, a] = 0.25;
        // One-hot rows: (0.75² + 3·0.25²)/4 = 0.1875; the tied row: (2·0.25² + 2·0.25²)/4 = 0.0625.
        double expected = (12 * 0.1875 + 0.0625) / 13;
        Assert.Equal(expected, PolicyTableError.MeanSquared(uniform, teacher, states.ToArray()), 12);
    }

    [Fact]
    public void Trajectories_from_paths_reject_jumps()
    {
        var t = FrozenLakeTrajectory.FromPath(Map, [0, 1, 2]);
        Assert.Equal([new FrozenLakeStep(0, FrozenLakeAction.Right), new FrozenLakeStep(1, FrozenLakeAction.Right)], t.Steps);
        Assert.Throws<ArgumentException>(() => FrozenLakeTrajectory.FromPath(Map, [0, 2]));
    }
}
