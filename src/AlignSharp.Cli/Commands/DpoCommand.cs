using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp dpo</c>: direct preference optimisation (<see cref="DpoRecipe"/>).</summary>
public static class DpoCommand
{
    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        DpoRecipe.Method,
        "Direct preference optimisation on prompt/chosen/rejected pairs; the reference's log-probs are one cached pass before training.",
        RecipeKeys.Dpo,
        [
            TrainCommand.Flag("beta", "Strength of the implicit KL constraint"),
            TrainCommand.Flag("loss_type", "sigmoid (DPO) or ipo"),
            TrainCommand.Flag("label_smoothing", "Conservative DPO's label-flip probability"),
            TrainCommand.Flag("ref_model", "Reference model folder (default: the starting model)"),
            .. TrainCommand.PairPassFlags(),
            TrainCommand.Flag("dpo_passes", "Older name of --pair-passes"),
            TrainCommand.Flag("dpo_trim_heap", "Older name of --pair-trim-heap"),
        ],
        (folder, data, settings, output) => DpoRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => DpoRecipe.Run(model, data, settings.Dpo(output), callbacks, resume)));
}
