using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp sft</c>: supervised fine-tuning (<see cref="SftRecipe"/>).</summary>
public static class SftCommand
{
    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        SftRecipe.Method,
        "Supervised fine-tuning on prompt/completion or messages rows (loss on the completion and its EOS).",
        RecipeKeys.Sft,
        [],
        (folder, data, settings, output) => SftRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => SftRecipe.Run(model, data, settings.Sft(output), callbacks, resume)));
}
