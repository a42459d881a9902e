using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Objectives;
using AlignSharp.Recipes;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// <c>alignsharp ift</c>: Intuitive Fine-Tuning (<see cref="IftRecipe"/>) on SFT data. TRL has no IFT, so the
/// method keys are the official code's names (ift_gamma, min_lambda/max_lambda) next to TrainingArguments' keys.
/// </summary>
public static class IftCommand
{
    public static readonly IReadOnlyList<string> Keys =
    [
        .. RecipeKeys.Common, "ift_lambda", "min_lambda", "max_lambda", "lambda_warmup_steps", "ift_gamma",
        "detach_weights", "freeze_input_embeddings", "loss_normalization",
    ];

    public static Command Create() => TrainCommand.Create(TrainCommand.Offline(
        IftRecipe.Method,
        "Intuitive Fine-Tuning on prompt/completion or messages rows: gold and one-step-predicted input embeddings mixed with weight lambda, token losses weighted by discounted future loss (gamma).",
        Keys,
        [
            TrainCommand.Flag("ift_lambda", "Mixing weight lambda of the predicted embeddings (sets min and max)"),
            TrainCommand.Flag("ift_gamma", "Discount of the future-loss token weights; 0 gives SFT's weights"),
        ],
        (folder, data, settings, output) => IftRecipe.Plan(folder, data, settings.Common(output)),
        (model, data, settings, output, callbacks, resume) => IftRecipe.Run(model, data, Options(settings, output), callbacks, resume)));

    public static IftRecipeOptions Options(RecipeSettings settings, string outputDir)
    {
        var defaults = new IftRecipeOptions();
        double? both = settings.Double("ift_lambda");
        var lambda = new IftLambdaSchedule
        {
            Min = settings.Double("min_lambda") ?? both ?? defaults.Lambda.Min,
            Max = settings.Double("max_lambda") ?? both ?? defaults.Lambda.Max,
            WarmupSteps = settings.Int("lambda_warmup_steps") ?? defaults.Lambda.WarmupSteps,
        };
        var ift = new IftOptions
        {
            Gamma = settings.Double("ift_gamma") ?? defaults.Ift.Gamma,
            DetachWeights = settings.Bool("detach_weights") ?? defaults.Ift.DetachWeights,
            Normalisation = settings.String("loss_normalization") switch
            {
                null or "sequence_mean" => IftNormalisation.SequenceMean,
                "token_mean" => IftNormalisation.TokenMean,
                var other => throw new UserInputException($"loss_normalization: '{other}' is not sequence_mean or token_mean"),
            },
        };
        try
        {
            lambda.Validate();
            ift.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException(e.Message);
        }
        return new IftRecipeOptions
        {
            Common = settings.Common(outputDir),
            Ift = ift,
            Lambda = lambda,
            FreezeInputEmbeddings = settings.Bool("freeze_input_embeddings") ?? defaults.FreezeInputEmbeddings,
        };
    }
}
