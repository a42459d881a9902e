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
        using var policy = new FrozenLakePolicyNetwork(study.Map.StateCount, config.HiddenSize, seed);
        using var data = new FrozenLakeBatch(policy, study);
        var curve = new List<FrozenLakeCurvePoint> { new(0, Mse(policy, study, study.AllStates)) };
        if (method == FrozenLakeMethod.SftThenDpo)
        {
            RunPhase(policy, data, study, config, FrozenLakeMethod.Sft, seed, curve, firstStep: 1);
            RunPhase(policy, data, study, config, FrozenLakeMethod.Dpo, seed, curve, firstStep: config.Steps + 1);
        }
        else RunPhase(policy, data, study, config, method, seed, curve, firstStep: 1);

        var table = policy.ProbabilityTable();
        return new FrozenLakeRun(method, seed, curve,
            PolicyTableError.MeanSquared(table, study.TeacherTable, study.AllStates.ToArray()),
            PolicyTableError.MeanSquared(table, study.TeacherTable, study.OptimalPathStates.ToArray()),
            table);
    }

    /// <summary><see cref="FrozenLakeStudyConfig.Steps"/> steps of one objective, with a fresh optimiser (a new recipe, as SFT then DPO is run).</summary>
    static void RunPhase(FrozenLakePolicyNetwork policy, FrozenLakeBatch data, FrozenLakeStudy study, FrozenLakeStudyConfig config,
        FrozenLakeMethod method, int seed, List<FrozenLakeCurvePoint> curve, int firstStep)
    {
        using var optimizer = optim.Adam(policy.parameters(), config.LearningRate);
        var sft = new SftLoss();
        var ift = new IftLoss(new IftOptions { Gamma = config.IftGamma });
        var orpo = new OrpoLoss(new OrpoOptions { Beta = config.OrpoBeta });
        var dpo = new DpoLoss(new DpoOptions { Beta = config.DpoBeta });

        // DPO's reference is the policy as this phase starts (the initial network, or the SFT policy for
        // SFT→DPO); its inputs are fixed, so its log-probs are computed once, like the library's cached reference pass.
        using var referenceChosen = ReferenceSum(policy, data.ChosenInputs, study.Optimal);
        using var referenceRejected = ReferenceSum(policy, data.RejectedInputs, study.SubOptimal);

        for (int step = firstStep; step < firstStep + config.Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = method switch
            {
                FrozenLakeMethod.Sft => Owned(sft.Compute(policy.StepLogProbs(data.ChosenInputs, study.Optimal), data.ChosenMask)),
                FrozenLakeMethod.Ift => Owned(ift.Compute(
                    policy.StepLogProbs(FrozenLakeIftInputs.Mixed(policy, study.Map, study.Optimal, config.IftLambda), study.Optimal),
                    data.ChosenMask)),
                FrozenLakeMethod.Dpo => Owned(dpo.Compute(
                    policy.StepLogProbs(data.ChosenInputs, study.Optimal).sum(1),
                    policy.StepLogProbs(data.RejectedInputs, study.SubOptimal).sum(1),
                    referenceChosen, referenceRejected)),
                FrozenLakeMethod.Orpo => Owned(orpo.Compute(
                    policy.StepLogProbs(data.ChosenInputs, study.Optimal), data.ChosenMask,
                    policy.StepLogProbs(data.RejectedInputs, study.SubOptimal), data.RejectedMask)),
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a single-objective method"),
            };
            double value = loss.ToDouble();
            if (!double.IsFinite(value))
                throw new TrainingDivergedException(step, $"{method} (seed {seed}) loss", value, null);
            loss.backward();
            optimizer.step();
            if (step % config.EvaluateEvery == 0 || step == firstStep + config.Steps - 1)
                curve.Add(new FrozenLakeCurvePoint(step, Mse(policy, study, study.AllStates)));
        }
    }

    // The loss tensor was moved into the step's scope; the ObjectiveOutput wrapper is not needed past here.
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
