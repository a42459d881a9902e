using AlignSharp.Objectives;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// GRPO (Shao et al. 2024) with TRL's GRPOTrainer semantics, written out: source = <c>num_generations</c> samples per
/// prompt from the current policy (<see cref="RolloutSource"/>), scorer = the reward functions, advantages = rewards
/// centred on their group's mean (scaled by <c>scale_rewards</c>), objective = <see cref="GrpoLoss"/>. With beta = 0
/// (TRL's default) no reference model is loaded.
/// </summary>
public static class GrpoRecipe
{
    public const string Method = "grpo";

    public static OnlineMethod Create(GrpoRecipeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loss = new GrpoLoss(options.Grpo);
        return new OnlineMethod(Method, NeedsReference: options.Grpo.Beta > 0,
            Advantages: scores => new RolloutAdvantages(GroupAdvantages.Compute(scores.Rewards, scores.GroupSize, options.ScaleRewards),
                new Dictionary<string, double>()),
            Objective: context => OnlineObjective.Create(context, (rows, normaliser) => loss.Compute(rows.LogProbs, rows.Mask, rows.OldLogProbs, rows.ReferenceLogProbs, rows.Advantages, normaliser)));
    }

    public static OnlineRecipeResult Run(string modelDir, string dataPath, GrpoRecipeOptions options, IReadOnlyList<IRewardFunction> rewards,
        RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Online.Rollout.NumGenerations < 2)
            throw new ArgumentException($"num_generations = {options.Online.Rollout.NumGenerations}: GRPO's group baseline needs at least 2 completions per prompt");
        return OnlineRecipe.Run(modelDir, dataPath, options.Online, Create(options), rewards, callbacks, resumeFrom);
    }
}
