using AlignSharp.Objectives;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// RLOO (Ahmadian et al. 2024) with TRL's RLOOTrainer semantics, written out: source = k samples per prompt from the
/// current policy, scorer = the reward functions minus beta · Σ_t (log π_old − log π_ref) (k1 over the completion, in
/// the reward as TRL does), advantages = leave-one-out (<see cref="LeaveOneOutAdvantages"/>), objective =
/// <see cref="RlooLoss"/>'s sequence-level clipped ratio.
/// </summary>
public static class RlooRecipe
{
    public const string Method = "rloo";

    public static OnlineMethod Create(RlooRecipeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Beta >= 0 && double.IsFinite(options.Beta))) throw new ArgumentException($"beta = {options.Beta}: must be ≥ 0");
        var loss = new RlooLoss(options.Epsilon, options.EpsilonHigh);
        return new OnlineMethod(Method, NeedsReference: options.Beta > 0,
            Advantages: scores => Advantages(scores, options),
            Objective: context => OnlineObjective.Create(context, (rows, normaliser) => loss.Compute(rows.LogProbs, rows.Mask, rows.OldLogProbs, rows.Advantages, normaliser)));
    }

    /// <summary>The reward with TRL's sequence KL penalty, then the leave-one-out baseline; logs <c>kl</c> (token mean of k1).</summary>
    static RolloutAdvantages Advantages(RolloutScores scores, RlooRecipeOptions options)
    {
        double[] rewards = (double[])scores.Rewards.Clone();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (scores.ReferenceLogProbs is { } reference)
        {
            double klSum = 0;
            long tokens = 0;
            for (int i = 0; i < rewards.Length; i++)
            {
                // k1 per token with verl's clamp, summed over the completion (every sampled token, the stop token included).
                double sequenceKl = 0;
                for (int t = 0; t < scores.SamplingLogProbs[i].Length; t++)
                    sequenceKl += Math.Clamp(scores.SamplingLogProbs[i][t] - (double)reference[i][t], -KlEstimator.LogRatioClamp, KlEstimator.LogRatioClamp);
                rewards[i] -= options.Beta * sequenceKl;
                klSum += sequenceKl;
                tokens += scores.SamplingLogProbs[i].Length;
            }
            metrics["kl"] = klSum / Math.Max(tokens, 1);
        }
        return new RolloutAdvantages(LeaveOneOutAdvantages.Compute(rewards, scores.GroupSize, options.NormalizeAdvantages), metrics);
    }

    public static OnlineRecipeResult Run(string modelDir, string dataPath, RlooRecipeOptions options, IReadOnlyList<IRewardFunction> rewards,
        RecipeCallbacks? callbacks = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OnlineRecipe.Run(modelDir, dataPath, options.Online, Create(options), rewards, callbacks, resumeFrom);
    }
}
