using AlignSharp.Objectives;
using AlignSharp.Tasks.FrozenLake;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// IFT's pass 1 and input mixing (algorithms.md §1(a), steps 1–3) for a trajectory of states, through the
/// library's <see cref="IftInputs"/>: the "token" at step t is the state s*_t, and the model's guess for it is
/// ŝ_t, the cell reached by the current policy's greedy action from the gold previous state s*_(t−1) (one step
/// ahead from the gold prefix, never a rollout, as the official code does). The input at step t is
/// (1−λ)·onehot(s*_t) + λ·onehot(ŝ_t); step 0 keeps the gold start, as the code keeps position 0.
/// </summary>
public static class FrozenLakeIftInputs
{
    /// <summary>The states fed to pass 2 in place of the gold ones: ŝ_0 = s*_0, then ŝ_t from a no-grad greedy pass.</summary>
    public static Tensor PredictedStates(FrozenLakePolicyNetwork policy, FrozenLakeMap map, FrozenLakeTrajectory trajectory)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int[] gold = trajectory.States.ToArray();
        long[] greedy = policy.forward(policy.OneHot(gold)).argmax(1).data<long>().ToArray();
        // The environment turns "the next token the model predicts at t" into a cell: step(s*_t, argmax π(·|s*_t)).
        long[] next = gold.Select((s, t) => (long)map.Step(s, (FrozenLakeAction)greedy[t]).NextState).ToArray();
        var goldIds = tensor(gold.Select(s => (long)s).ToArray(), ScalarType.Int64).unsqueeze(0);
        var predictions = tensor(next, ScalarType.Int64).unsqueeze(0);
        var mask = ones(1, gold.Length, ScalarType.Bool);
        return IftInputs.PredictedInputIds(goldIds, predictions, mask).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>[T, cells] mixed inputs for pass 2.</summary>
    public static Tensor Mixed(FrozenLakePolicyNetwork policy, FrozenLakeMap map, FrozenLakeTrajectory trajectory, double lambda)
    {
        using var scope = NewDisposeScope();
        var gold = policy.OneHot(trajectory.States.ToArray());
        var predictedIds = PredictedStates(policy, map, trajectory);
        var predicted = policy.OneHot(predictedIds.data<long>().Select(s => (int)s).ToArray());
        return IftInputs.Mix(gold, predicted, lambda).MoveToOuterDisposeScope();
    }
}
