using AlignSharp.Tasks.FrozenLake;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// IFT's pass 1 and input mixing (algorithms.md §1(a), steps 1–3) for a trajectory of states:
/// the "token" at step t is the state s*_t; the model's guess for it is ŝ_t, the cell reached by the
/// greedy action of the current policy from the gold previous state s*_(t−1) (one step ahead from the
/// gold prefix, never a rollout, as the official code does). The input at step t is
/// (1−λ)·onehot(s*_t) + λ·onehot(ŝ_t); step 0 keeps the gold start, as the code keeps position 0.
/// </summary>
public static class FrozenLakeIftInputs
{
    /// <summary>The greedy one-step predictions ŝ_t (ŝ_0 = s*_0), from a no-grad pass on the gold states.</summary>
    public static int[] PredictedStates(FrozenLakePolicyNetwork policy, FrozenLakeMap map, FrozenLakeTrajectory trajectory)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int[] gold = trajectory.States.ToArray();
        long[] greedy = policy.forward(policy.OneHot(gold)).argmax(1).data<long>().ToArray();
        var predicted = new int[gold.Length];
        predicted[0] = gold[0];
        for (int t = 1; t < gold.Length; t++)
            predicted[t] = map.Step(gold[t - 1], (FrozenLakeAction)greedy[t - 1]).NextState;
        return predicted;
    }

    /// <summary>[T, cells] mixed inputs for pass 2.</summary>
    public static Tensor Mixed(FrozenLakePolicyNetwork policy, FrozenLakeMap map, FrozenLakeTrajectory trajectory, double lambda)
    {
        using var scope = NewDisposeScope();
        var gold = policy.OneHot(trajectory.States.ToArray());
        var predicted = policy.OneHot(PredictedStates(policy, map, trajectory));
        return (gold * (1 - lambda) + predicted * lambda).MoveToOuterDisposeScope();
    }
}
