using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp alol</c>: A-LoL, its variants and the paper's baselines (<see cref="ALoLRecipe"/>).</summary>
public static class ALoLCommand
{
    /// <summary>YAML keys: the common ones plus the official code's names where it has one (ppo_clip, kl_beta).</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        .. RecipeKeys.Common, "variant", "ppo_clip", "kl_beta", "gold_floor", "reward",
        "value_epochs", "value_learning_rate", "value_heads", "value_min", "value_max", "value_max_new_tokens", "reference_batch_size",
    ];

    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        ALoLRecipe.Method,
        "A-LoL (advantage-weighted offline policy gradient) and its baselines on prompt/completion/reward rows; the model given is the reference π_ref.",
        Keys,
        [
            TrainCommand.Flag("variant", $"One of {string.Join(", ", ALoLVariants.KnownNames)} (default a_lol)"),
            TrainCommand.Flag("ppo_clip", "ε: importance weights are clipped to [1-ε, 1+ε] (default 0.9)"),
            TrainCommand.Flag("kl_beta", "β of a_lol_kl (default 0.1)"),
            TrainCommand.Flag("reward", $"Scores the reference's samples for the value head: a built-in task ({string.Join(", ", BuiltInTasks.Names)}) or a reward-model folder"),
        ],
        (folder, data, settings, output) => ALoLRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) =>
        {
            var options = Options(settings, output);
            IRewardFunction? reward = settings.String("reward") is { } name ? Reward(name) : null;
            try
            {
                return ALoLRecipe.Run(model, data, options, reward, callbacks, resume);
            }
            finally
            {
                (reward as IDisposable)?.Dispose();
            }
        }));

    /// <summary>Recipe options from YAML keys and flags; unset keys keep the library defaults.</summary>
    public static ALoLRecipeOptions Options(RecipeSettings settings, string outputDir)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new ALoLRecipeOptions();
        return defaults with
        {
            Common = settings.Common(outputDir),
            Loss = defaults.Loss with
            {
                Variant = settings.String("variant") is { } v ? ALoLVariants.Parse(v) : defaults.Loss.Variant,
                ClipEpsilon = settings.Double("ppo_clip") ?? defaults.Loss.ClipEpsilon,
                KlBeta = settings.Double("kl_beta") ?? defaults.Loss.KlBeta,
                GoldProbabilityFloor = settings.Double("gold_floor") ?? defaults.Loss.GoldProbabilityFloor,
            },
            ValueFit = defaults.ValueFit with
            {
                Epochs = settings.Int("value_epochs") ?? defaults.ValueFit.Epochs,
                LearningRate = settings.Double("value_learning_rate") ?? defaults.ValueFit.LearningRate,
                Heads = settings.Int("value_heads") ?? defaults.ValueFit.Heads,
                MinValue = settings.Double("value_min") ?? defaults.ValueFit.MinValue,
                MaxValue = settings.Double("value_max") ?? defaults.ValueFit.MaxValue,
                Seed = settings.Int("seed") ?? defaults.ValueFit.Seed,
            },
            ValueMaxNewTokens = settings.Int("value_max_new_tokens") ?? defaults.ValueMaxNewTokens,
            ReferenceBatchSize = settings.Int("reference_batch_size") ?? defaults.ReferenceBatchSize,
        };
    }

    private static IRewardFunction Reward(string name) =>
        BuiltInTasks.Names.Contains(name) ? BuiltInTasks.ByName(name).TrueReward
        : Directory.Exists(name) ? new ModelReward(name)
        : throw new ArgumentException($"reward '{name}' is neither a built-in task ({string.Join(", ", BuiltInTasks.Names)}) nor a reward-model folder");
}
