using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp orpo</c>: odds-ratio preference optimisation (<see cref="OrpoRecipe"/>); keys as TRL's ORPOConfig.</summary>
public static class OrpoCommand
{
    public static readonly IReadOnlyList<string> Keys = [.. RecipeKeys.Common, "beta", .. RecipeKeys.PairPasses];

    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        OrpoRecipe.Method,
        "ORPO on prompt/chosen/rejected pairs: chosen NLL plus beta times the odds-ratio preference term; no reference model.",
        Keys,
        [TrainCommand.Flag("beta", "Weight of the odds-ratio term"), .. TrainCommand.PairPassFlags()],
        (folder, data, settings, output) => OrpoRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => OrpoRecipe.Run(model, data, Options(settings, output), callbacks, resume)));

    public static OrpoRecipeOptions Options(RecipeSettings settings, string outputDir)
    {
        var orpo = new OrpoOptions { Beta = settings.Double("beta") ?? new OrpoOptions().Beta };
        try
        {
            orpo.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
        var defaults = new OrpoRecipeOptions();
        return new OrpoRecipeOptions
        {
            Common = settings.Common(outputDir),
            Orpo = orpo,
            PairSteps = settings.PairSteps(defaults.PairSteps),
        };
    }
}
