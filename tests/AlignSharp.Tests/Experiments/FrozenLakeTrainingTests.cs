using AlignSharp.Cli.Experiments.FrozenLake;
using AlignSharp.Objectives;
using AlignSharp.Tasks.FrozenLake;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Experiments;

public class FrozenLakeTrainingTests
{
    static readonly FrozenLakeStudy Study = FrozenLakeStudy.Create(FrozenLakeMap.TwoPaths, 0.9);
    static readonly FrozenLakeStudyConfig Short = new() { Steps = 40 };

    [Fact]
    public void The_policy_table_is_a_distribution_per_state()
    {
        using var policy = new FrozenLakePolicyNetwork(Study.Map.StateCount, 8, seed: 3);
        var table = policy.ProbabilityTable();
        foreach (int s in Study.AllStates)
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(a => table[s, a]), 6);
    }

    [Fact]
    public void Same_seed_same_network_and_result()
    {
        var a = FrozenLakeTrainer.Train(Study, Short, FrozenLakeMethod.Ift, seed: 5);
        var b = FrozenLakeTrainer.Train(Study, Short, FrozenLakeMethod.Ift, seed: 5);
        Assert.Equal(a.FinalMse, b.FinalMse);
        Assert.Equal(a.Curve, b.Curve);
    }

    [Fact]
    public void Ift_inputs_put_the_greedy_next_cell_after_each_gold_state()
    {
        using var policy = new FrozenLakePolicyNetwork(Study.Map.StateCount, 8, seed: 7);
        using var predicted = FrozenLakeIftInputs.PredictedStates(policy, Study.Map, Study.Optimal);
        long[] ids = predicted.data<long>().ToArray();
        var table = policy.ProbabilityTable();
        int[] gold = Study.Optimal.States.ToArray();
        Assert.Equal(gold[0], ids[0]);
        for (int t = 1; t < gold.Length; t++)
        {
            int greedy = Enumerable.Range(0, 4).MaxBy(a => table[gold[t - 1], a]);
            Assert.Equal(Study.Map.Step(gold[t - 1], (FrozenLakeAction)greedy).NextState, ids[t]);
        }
        using var mixed = FrozenLakeIftInputs.Mixed(policy, Study.Map, Study.Optimal, 0.2);
        var rows = mixed.data<float>().ToArray();
        for (int t = 0; t < gold.Length; t++)
        {
            var row = rows.Skip(t * Study.Map.StateCount).Take(Study.Map.StateCount).ToArray();
            Assert.Equal(1.0, row.Sum(), 5);
            Assert.Equal(gold[t] == ids[t] ? 1.0 : 0.8, row[gold[t]], 5);
        }
    }

    [Fact]
    public void Ift_weights_on_a_trajectory_match_a_hand_computed_golden()
    {
        // ℓ = (−1, −2, −3), γ = 0.5: c = (1/3, 2/3, 1), W = (11/12, 7/6, 1), w = W·36/37, L = 75/37.
        using var logps = tensor(new double[] { -1, -2, -3 }).reshape(1, 3);
        using var mask = ones(1, 3, ScalarType.Bool);
        using var output = new IftLoss(new IftOptions { Gamma = 0.5 }).Compute(logps, mask);
        Assert.Equal(75.0 / 37.0, output.Loss.ToDouble(), 12);
    }

    [Fact]
    public void Sft_and_ift_learn_the_optimal_path_and_dpo_widens_its_margin()
    {
        foreach (var method in new[] { FrozenLakeMethod.Sft, FrozenLakeMethod.Ift })
        {
            var run = FrozenLakeTrainer.Train(Study, Short, method, seed: 1);
            Assert.True(run.FinalMseOptimalPath < 0.01, $"{method}: {run.FinalMseOptimalPath}");
            Assert.True(run.FinalMse < run.Curve[0].Mse, $"{method} did not improve: {run.Curve[0].Mse} → {run.FinalMse}");
        }
        var dpo = FrozenLakeTrainer.Train(Study, Short, FrozenLakeMethod.Dpo, seed: 1);
        using var initial = new FrozenLakePolicyNetwork(Study.Map.StateCount, Short.HiddenSize, seed: 1);
        Assert.True(Margin(dpo.FinalTable) > Margin(initial.ProbabilityTable()) + 1.0);
    }

    // log π(optimal) − log π(sub-optimal), summed over steps.
    static double Margin(double[,] table) =>
        Study.Optimal.Steps.Sum(s => Math.Log(table[s.State, (int)s.Action]))
        - Study.SubOptimal.Steps.Sum(s => Math.Log(table[s.State, (int)s.Action]));
}
