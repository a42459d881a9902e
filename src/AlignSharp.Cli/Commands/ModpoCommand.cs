using System.CommandLine;
using System.Globalization;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp modpo</c>: multi-objective DPO (<see cref="ModpoRecipe"/>).</summary>
public static class ModpoCommand
{
    /// <summary>The YAML keys: the common ones, DPO's beta/loss_type/ref_model, MODPO's weights, margin_scorers, margin_beta, and the pair-pass settings.</summary>
    public static readonly IReadOnlyList<string> Keys = [.. RecipeKeys.Common, "beta", "loss_type", "ref_model", "weights", "margin_scorers", "margin_beta", .. RecipeKeys.PairPasses];

    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        ModpoRecipe.Method,
        "Multi-objective DPO: preference pairs for one objective, frozen margin scorers for the others, weights w (w_k first); reference log-probs and margins are one cached pass before training.",
        Keys,
        [
            TrainCommand.Flag("beta", "Strength of the implicit KL constraint"),
            TrainCommand.Flag("loss_type", "sigmoid or hinge"),
            TrainCommand.Flag("weights", "Comma-separated weights, all > 0: w_k of the preference data, then one per margin scorer"),
            TrainCommand.Flag("margin_scorers", "';'-separated margin scorers: length_tokens, length_characters, length_words, task:NAME, reward_model:FOLDER, implicit_dpo:DPO@REF"),
            TrainCommand.Flag("margin_beta", "Beta of implicit_dpo margin scorers (default: beta)"),
            TrainCommand.Flag("ref_model", "Reference model folder (default: the starting model)"),
            .. TrainCommand.PairPassFlags(),
        ],
        (folder, data, settings, output) => ModpoRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => ModpoRecipe.Run(model, data, Options(settings, output), callbacks, resume)));

    /// <summary>The recipe's options from YAML keys and flags; bad values are user errors naming the key.</summary>
    public static ModpoRecipeOptions Options(RecipeSettings settings, string outputDir)
    {
        var modpo = new ModpoOptions();
        var defaults = new ModpoRecipeOptions();
        try
        {
            modpo = modpo with
            {
                Beta = settings.Double("beta") ?? modpo.Beta,
                LossType = settings.String("loss_type") is { } type ? ModpoLossTypes.Parse(type.Trim()) : modpo.LossType,
                Weights = settings.String("weights") is { } weights ? ParseWeights(weights) : modpo.Weights,
            };
            modpo.Validate();
            var scorers = ModpoMarginScorers.ParseList(settings.String("margin_scorers"));
            if (scorers.Count != modpo.MarginCount)
                throw new ArgumentException(
                    $"weights ({string.Join(", ", modpo.Weights)}) need {modpo.MarginCount} margin scorer(s) but margin_scorers lists {scorers.Count}; give w_k first, then one weight per scorer");
            return new ModpoRecipeOptions
            {
                Common = settings.Common(outputDir),
                Modpo = modpo,
                MarginScorers = scorers,
                MarginBeta = settings.Double("margin_beta"),
                ReferenceModel = settings.String("ref_model"),
                PairSteps = settings.PairSteps(defaults.PairSteps),
            };
        }
        catch (ArgumentException error)
        {
            throw new UserInputException(error.Message);
        }
    }

    static double[] ParseWeights(string text) => text.Trim().TrimStart('[').TrimEnd(']').Split(',')
        .Select(part => double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
            ? w
            : throw new ArgumentException($"weights '{text}': '{part.Trim()}' is not a number"))
        .ToArray();
}
