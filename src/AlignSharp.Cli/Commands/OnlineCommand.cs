using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes.Online;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// What <c>grpo</c> and <c>rloo</c> share on top of <see cref="TrainCommand"/>: a prompt-only dataset, <c>--reward SPEC</c>
/// (<see cref="RewardSpecs"/>), the rollout flags, and a dry run that samples one generation and shows its rewards.
/// </summary>
public static class OnlineCommand
{
    public static IReadOnlyList<TrainCommand.KeyFlag> Flags() =>
    [
        new("reward_funcs", new Option<string?>("--reward") { Description = RewardSpecs.Help + " (YAML: reward_funcs)." }),
        TrainCommand.Flag("reward_weights", "Comma-separated weights, one per reward"),
        TrainCommand.Flag("num_generations", "Completions sampled per prompt"),
        TrainCommand.Flag("max_completion_length", "Most tokens per completion (the stop token included)"),
        TrainCommand.Flag("temperature", "Sampling temperature (also applied when log-probs are recomputed)"),
        TrainCommand.Flag("top_p", "Nucleus sampling (1: off)"),
        TrainCommand.Flag("top_k", "Top-k sampling (0: off)"),
        TrainCommand.Flag("steps_per_generation", "Micro-batches one generation feeds (default: gradient_accumulation_steps)"),
        TrainCommand.Flag("num_iterations", "Updates per rollout batch (GRPO's mu)"),
        TrainCommand.Flag("mask_truncated_completions", "true: completions without a stop token are left out of the loss"),
        TrainCommand.Flag("beta", "Weight of the KL to the reference (0: no reference is loaded)"),
        TrainCommand.Flag("epsilon", "Clip range of the ratio"),
        TrainCommand.Flag("epsilon_high", "Upper clip range (default: epsilon)"),
        TrainCommand.Flag("ref_model", "Reference model folder (default: the starting model)"),
    ];

    /// <summary>A training command for an online method: <paramref name="options"/> builds its options, <paramref name="method"/> its parts.</summary>
    public static TrainCommand.Method Method<TOptions>(string name, string description, IReadOnlyList<string> keys, IReadOnlyList<TrainCommand.KeyFlag> extraFlags,
        Func<RecipeSettings, string, IReadOnlyList<double>?, TOptions> options, Func<TOptions, OnlineRecipeOptions> online, Func<TOptions, OnlineMethod> method) =>
        new(name, description, keys, [.. Flags(), .. extraFlags],
            (folder, data, settings, output) =>
            {
                using var rewards = Rewards(settings);
                TOptions o = options(settings, output, rewards.Weights);
                return OnlineRecipe.DryRun(folder, data, online(o), method(o), rewards.Functions);
            },
            (model, data, settings, output, callbacks, resume) =>
            {
                using var rewards = Rewards(settings);
                TOptions o = options(settings, output, rewards.Weights);
                var result = OnlineRecipe.Run(model, data, online(o), method(o), rewards.Functions, callbacks, resume);
                return (result.OutputDir, result.Training.GlobalStep);
            },
            DataDescription: "Prompts: JSONL or Parquet with TRL's prompt column (text or messages); other columns go to the rewards.");

    static RewardSpecs.Parsed Rewards(RecipeSettings settings) =>
        RewardSpecs.Parse(settings.String("reward_funcs") ?? throw new UserInputException("online methods need a reward: --reward SPEC (or reward_funcs in the recipe); " + RewardSpecs.Help),
            settings.String("reward_weights"));
}
