using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp dpo</c>: direct preference optimisation (<see cref="DpoRecipe"/>).</summary>
public static class DpoCommand
{
    public static Command Create() => TrainCommand.Create(new TrainCommand.Method(
        DpoRecipe.Method,
        "Direct preference optimisation on prompt/chosen/rejected pairs; the reference's log-probs are one cached pass before training.",
        RecipeKeys.Dpo,
        [
            TrainCommand.Flag("beta", "Strength of the implicit KL constraint"),
            TrainCommand.Flag("loss_type", "sigmoid (DPO) or ipo"),
            TrainCommand.Flag("label_smoothing", "Conservative DPO's label-flip probability"),
            TrainCommand.Flag("ref_model", "Reference model folder (default: the starting model)"),
            TrainCommand.Flag("dpo_passes", "split (default: chosen then rejected rows back-propagated, SFT-like memory) or concatenated (one pass, faster, more memory)"),
            TrainCommand.Flag("dpo_trim_heap", "true (default) or false: return freed native memory to the OS between split passes (lower peak, some CPU)"),
        ],
        (folder, data, settings, output) => DpoRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => DpoRecipe.Run(model, data, settings.Dpo(output), callbacks, resume)));
}
