using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp rloo</c>: REINFORCE leave-one-out (<see cref="RlooRecipe"/>).</summary>
public static class RlooCommand
{
    public static Command Create() => TrainCommand.Create(OnlineCommand.Method(
        RlooRecipe.Method,
        "RLOO: each step samples num_generations (default 2) completions per prompt; each is compared with the mean reward of the others, after a KL penalty to the reference (beta, default 0.05).",
        RecipeKeys.Rloo,
        [TrainCommand.Flag("normalize_advantages", "true: whiten the advantages over the generation")],
        (settings, output, weights) => settings.Rloo(output, weights),
        options => options.Online,
        RlooRecipe.Create));
}
