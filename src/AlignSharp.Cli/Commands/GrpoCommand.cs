using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp grpo</c>: group relative policy optimisation (<see cref="GrpoRecipe"/>).</summary>
public static class GrpoCommand
{
    public static Command Create() => TrainCommand.Create(OnlineCommand.Method(
        GrpoRecipe.Method,
        "GRPO: each step samples num_generations completions per prompt from the current model, scores them with --reward, and raises the log-probs of those better than their group's mean.",
        RecipeKeys.Grpo,
        [
            TrainCommand.Flag("loss_type", "dapo (default: token mean over the step), grpo, bnpo or dr_grpo"),
            TrainCommand.Flag("scale_rewards", "group (default), batch or none"),
        ],
        (settings, output, weights) => settings.Grpo(output, weights),
        options => options.Online,
        GrpoRecipe.Create));
}
