using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp rm</c>: a Bradley–Terry reward model (<see cref="RewardModelRecipe"/>).</summary>
public static class RewardModelCommand
{
    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        RewardModelRecipe.Method,
        "Train a reward model on prompt/chosen/rejected pairs; saves a ...ForSequenceClassification folder (num_labels 1).",
        RecipeKeys.RewardModel,
        [TrainCommand.Flag("margin", "Margin every chosen reward must win by")],
        (folder, data, settings, output) => RewardModelRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => RewardModelRecipe.Run(model, data, settings.RewardModel(output), callbacks, resume)));
}
