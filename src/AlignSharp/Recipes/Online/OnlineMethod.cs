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
