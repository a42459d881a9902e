using AlignSharp.Objectives;
using AlignSharp.Tasks.FrozenLake;
using AlignSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// Trains one policy network with one method: full-batch Adam on the single trajectory (SFT, IFT) or the
/// single (optimal, sub-optimal) pair (DPO, ORPO), every step in its own dispose scope.
/// Sequence log-probs are sums over steps for DPO; SFT and IFT average over the trajectory's steps;
/// ORPO uses per-step means (TRL's convention for its odds).
/// </summary>
public static class FrozenLakeTrainer
{
    public static FrozenLakeRun Train(FrozenLakeStudy study, FrozenLakeStudyConfig config, FrozenLakeMethod method, int seed)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(config);
        var map = study.Map;
        using var policy = new FrozenLakePolicyNetwork(map.StateCount, config.HiddenSize, seed);
        using var optimizer = optim.Adam(policy.parameters(), config.LearningRate);
        using var chosenInputs = policy.OneHot(study.Optimal.States.ToArray());
        using var rejectedInputs = policy.OneHot(study.SubOptimal.States.ToArray());
        using var chosenMask = ones(1, study.Optimal.Length, ScalarType.Bool);
        using var rejectedMask = ones(1, study.SubOptimal.Length, ScalarType.Bool);
        var sft = new SftLoss();
        var ift = new IftLoss(new IftOptions { Gamma = config.IftGamma });
        var orpo = new OrpoLoss(new OrpoOptions { Beta = config.OrpoBeta });
        var dpo = new DpoLoss(new DpoOptions { Beta = config.DpoBeta });

        // DPO's reference is the initial policy (the same random network before any step); its inputs
        // are fixed, so its log-probs are computed once, like the library's cached reference pass.
        using var referenceChosen = ReferenceSum(policy, chosenInputs, study.Optimal);
        using var referenceRejected = ReferenceSum(policy, rejectedInputs, study.SubOptimal);

        var curve = new List<FrozenLakeCurvePoint> { new(0, Mse(policy, study, study.AllStates)) };
        for (int step = 1; step <= config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = method switch
            {
                FrozenLakeMethod.Sft => Owned(sft.Compute(policy.StepLogProbs(chosenInputs, study.Optimal), chosenMask)),
                FrozenLakeMethod.Ift => Owned(ift.Compute(
                    policy.StepLogProbs(FrozenLakeIftInputs.Mixed(policy, map, study.Optimal, config.IftLambda), study.Optimal),
                    chosenMask)),
                FrozenLakeMethod.Dpo => Owned(dpo.Compute(
                    policy.StepLogProbs(chosenInputs, study.Optimal).sum(1),
                    policy.StepLogProbs(rejectedInputs, study.SubOptimal).sum(1),
                    referenceChosen, referenceRejected)),
                FrozenLakeMethod.Orpo => Owned(orpo.Compute(
                    policy.StepLogProbs(chosenInputs, study.Optimal), chosenMask,
                    policy.StepLogProbs(rejectedInputs, study.SubOptimal), rejectedMask)),
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
            };
            double value = loss.ToDouble();
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(step, $"{method} (seed {seed}) loss", value, null);
            loss.backward();
            optimizer.step();
            if (step % config.EvaluateEvery == 0 || step == config.Steps)
                curve.Add(new FrozenLakeCurvePoint(step, Mse(policy, study, study.AllStates)));
        }

        var table = policy.ProbabilityTable();
        return new FrozenLakeRun(method, seed, curve,
            PolicyTableError.MeanSquared(table, study.TeacherTable, study.AllStates.ToArray()),
            PolicyTableError.MeanSquared(table, study.TeacherTable, study.OptimalPathStates.ToArray()),
            table);
    }

    // The loss tensor stays in the step's scope; the ObjectiveOutput wrapper is not needed past here.
    static Tensor Owned(ObjectiveOutput output) => output.Loss;

    static Tensor ReferenceSum(FrozenLakePolicyNetwork policy, Tensor inputs, FrozenLakeTrajectory trajectory)
    {
        using var noGrad = no_grad();
        using var logps = policy.StepLogProbs(inputs, trajectory);
        return logps.sum(1).detach();
    }

    static double Mse(FrozenLakePolicyNetwork policy, FrozenLakeStudy study, IReadOnlyList<int> states) =>
        PolicyTableError.MeanSquared(policy.ProbabilityTable(), study.TeacherTable, states.ToArray());
}
