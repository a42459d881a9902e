using AlignSharp.Modeling;
using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Recipes.Online;

/// <summary>
/// What one online method adds to the shared run (<see cref="OnlineRecipe"/>): its name, whether it needs the
/// reference's log-probs, how it turns a generation's rewards into advantages, and its objective over rollout examples.
/// </summary>
public sealed record OnlineMethod(
    string Name,
    bool NeedsReference,
    AdvantageEstimator Advantages,
    Func<OnlineObjectiveContext, TrainingObjective<RolloutExample>> Objective);

/// <summary>What a method's objective is built from: the policy, the padding id and the settings log-probs are recomputed with.</summary>
public sealed record OnlineObjectiveContext(CausalLM Policy, int PaddingId, double Temperature, int ChunkPositions, int MaxCompletionLength,
    Func<string?> LastCheckpoint);

/// <summary>
/// The objective every online method builds the same way: a micro-batch's forward (<see cref="RolloutMicroBatch"/>), the
/// method's loss on it with the step's totals, then the shared metrics and the non-finite check.
/// </summary>
public static class OnlineObjective
{
    public static TrainingObjective<RolloutExample> Create(OnlineObjectiveContext context,
        Func<RolloutMicroBatch, Objectives.PolicyGradientNormaliser, Objectives.ObjectiveOutput> loss) => new(
        Loss: (batch, step) =>
        {
            RolloutMicroBatch rows = RolloutMicroBatch.Forward(context, batch);
            var output = loss(rows, new Objectives.PolicyGradientNormaliser(step.StepExamples, step.StepLossTokens, step.MicroBatches, context.MaxCompletionLength));
            return rows.Finish(output, step, context);
        },
        Tokens: e => e.Sequence.Length,
        LossTokens: e => e.LossTokens);
}
