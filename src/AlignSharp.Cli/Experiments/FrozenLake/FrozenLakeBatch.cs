using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>The study's fixed tensors: one-hot inputs of the optimal (chosen) and sub-optimal (rejected) trajectories and their all-true masks.</summary>
public sealed class FrozenLakeBatch : IDisposable
{
    public FrozenLakeBatch(FrozenLakePolicyNetwork policy, FrozenLakeStudy study)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(study);
        ChosenInputs = policy.OneHot(study.Optimal.States.ToArray());
        RejectedInputs = policy.OneHot(study.SubOptimal.States.ToArray());
        ChosenMask = ones(1, study.Optimal.Length, ScalarType.Bool);
        RejectedMask = ones(1, study.SubOptimal.Length, ScalarType.Bool);
    }

    public Tensor ChosenInputs { get; }
    public Tensor RejectedInputs { get; }
    public Tensor ChosenMask { get; }
    public Tensor RejectedMask { get; }

    public void Dispose()
    {
        ChosenInputs.Dispose();
        RejectedInputs.Dispose();
        ChosenMask.Dispose();
        RejectedMask.Dispose();
    }
}
