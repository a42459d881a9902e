using AlignSharp.Objectives;
using AlignSharp.Recipes;

namespace AlignSharp.Bench;

/// <summary>
/// Runs the real recipe of a <see cref="RecipeVariant"/> with the benchmark's common settings: the variant only decides the
/// recipe, <c>pair_passes</c> and <c>pair_trim_heap</c>, so the rows of the table differ in nothing else.
/// </summary>
public static class RecipeVariantRun
{
    /// <summary>
    /// MODPO's margin scorer: <c>length_tokens</c> needs no model, so the run measures the recipe's own reference and
    /// margin pass, not a second network. Every completion has 192 tokens, so its margin is 0 (the cost is the same).
    /// </summary>
    public const string ModpoMarginScorer = "length_tokens";

    /// <summary>GRPO's reward: the share of vowels, cheap and different between samples (so the advantages are not all 0).</summary>
    static readonly AlignSharp.Rewards.IRewardFunction GrpoReward = new AlignSharp.Rewards.DelegateReward("vowel_share",
        input => input.Completion.Length == 0 ? 0 : input.Completion.Count(c => "aeiou".Contains(c)) / (double)input.Completion.Length);

    public static void Run(RecipeVariant variant, string model, string data, RecipeOptions common, int referenceBatchSize, RecipeCallbacks callbacks)
    {
        var steps = new PairStepOptions(
            variant is RecipeVariant.DpoConcatenated or RecipeVariant.OrpoConcatenated or RecipeVariant.ModpoConcatenated ? PairPasses.Concatenated : PairPasses.Split,
            TrimHeap: variant != RecipeVariant.DpoSplitNoTrim);
        switch (variant)
        {
            case RecipeVariant.Sft:
                SftRecipe.Run(model, data, new SftRecipeOptions { Common = common }, callbacks);
                break;
            case RecipeVariant.DpoSplit or RecipeVariant.DpoSplitNoTrim or RecipeVariant.DpoConcatenated:
                DpoRecipe.Run(model, data, new DpoRecipeOptions
                {
                    Common = common, ReferenceBatchSize = referenceBatchSize, PairSteps = steps,
                }, callbacks);
                break;
            case RecipeVariant.OrpoSplit or RecipeVariant.OrpoConcatenated:
                OrpoRecipe.Run(model, data, new OrpoRecipeOptions { Common = common, PairSteps = steps }, callbacks);
                break;
            case RecipeVariant.ModpoSplit or RecipeVariant.ModpoConcatenated:
                ModpoRecipe.Run(model, data, new ModpoRecipeOptions
                {
                    Common = common,
                    Modpo = new ModpoOptions { Weights = [0.5, 0.5] },
                    MarginScorers = [ModpoMarginScorer],
                    ReferenceBatchSize = referenceBatchSize,
                    PairSteps = steps,
                }, callbacks);
                break;
            case RecipeVariant.GrpoBeta0 or RecipeVariant.GrpoBeta:
                // One prompt × 8 completions per step, sampled up to 192 tokens: a random model rarely samples EOS, so the step
                // trains on about the same 8 sequences of 64 + 192 tokens as SFT's; beta > 0 adds the frozen reference.
                GrpoRecipe.Run(model, data, new GrpoRecipeOptions
                {
                    Online = new AlignSharp.Recipes.Online.OnlineRecipeOptions
                    {
                        Common = common,
                        Rollout = new AlignSharp.Rollouts.RolloutOptions { NumGenerations = 8, MaxCompletionLength = ReferenceConfiguration.CompletionLength },
                    },
                    Grpo = new GrpoOptions { Beta = variant == RecipeVariant.GrpoBeta ? 0.04 : 0 },
                }, [GrpoReward], callbacks);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown recipe variant");
        }
    }
}
