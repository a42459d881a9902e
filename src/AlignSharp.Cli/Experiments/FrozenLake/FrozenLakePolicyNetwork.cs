using AlignSharp.Tasks.FrozenLake;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// The paper's "2-layer fully-connected" policy: a (possibly mixed) one-hot over the map's cells →
/// Linear → tanh → Linear → four action logits. Weights come from a private seeded generator, so
/// runs do not depend on the global RNG.
/// </summary>
public sealed class FrozenLakePolicyNetwork : nn.Module<Tensor, Tensor>
{
    readonly Linear _hidden;
    readonly Linear _output;

    public FrozenLakePolicyNetwork(int stateCount, int hiddenSize, long seed) : base(nameof(FrozenLakePolicyNetwork))
    {
        StateCount = stateCount;
        _hidden = nn.Linear(stateCount, hiddenSize);
        _output = nn.Linear(hiddenSize, FrozenLakeMap.ActionCount);
        RegisterComponents();

        // PyTorch's default Linear init (uniform ±1/√fan_in), drawn from our own generator.
        using var generator = new torch.Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            long fanIn = name.StartsWith("_hidden", StringComparison.Ordinal) ? stateCount : hiddenSize;
            double bound = 1.0 / Math.Sqrt(fanIn);
            using var init = rand(parameter.shape, generator: generator) * (2 * bound) - bound;
            parameter.copy_(init);
        }
    }

    public int StateCount { get; }

    /// <summary>[N, cells] inputs → [N, 4] action logits.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _output.call(tanh(_hidden.call(input))).MoveToOuterDisposeScope();
    }

    /// <summary>One-hot rows for the given cells: [N, cells] float32.</summary>
    public Tensor OneHot(IReadOnlyList<int> states)
    {
        using var index = tensor(states.Select(s => (long)s).ToArray(), ScalarType.Int64);
        return nn.functional.one_hot(index, StateCount).to_type(ScalarType.Float32);
    }

    /// <summary>log π(a_t | s_t) for each step of a trajectory: [1, T] (one sequence, the shape the losses take).</summary>
    public Tensor StepLogProbs(Tensor inputs, FrozenLakeTrajectory trajectory)
    {
        using var scope = NewDisposeScope();
        var logp = nn.functional.log_softmax(forward(inputs), 1);
        using var actions = tensor(trajectory.Steps.Select(s => (long)s.Action).ToArray(), ScalarType.Int64);
        return logp.gather(1, actions.unsqueeze(1)).reshape(1, -1).MoveToOuterDisposeScope();
    }

    /// <summary>π(a|s) for every cell (terminal rows included; callers pick the states they compare).</summary>
    public double[,] ProbabilityTable()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probs = nn.functional.softmax(forward(OneHot(Enumerable.Range(0, StateCount).ToArray())), 1).to_type(ScalarType.Float64).cpu();
        var table = new double[StateCount, FrozenLakeMap.ActionCount];
        var flat = probs.data<double>().ToArray();
        for (int s = 0; s < StateCount; s++)
            for (int a = 0; a < FrozenLakeMap.ActionCount; a++)
                table[s, a] = flat[s * FrozenLakeMap.ActionCount + a];
        return table;
    }
}
