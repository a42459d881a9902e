using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Cli.Training;
using AlignSharp.Recipes;
using AlignSharp.Tasks;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// <c>alignsharp quickstart</c>: a fresh tiny model, SFT on a built-in task's demonstrations, DPO on its preference
/// pairs, and a table of base → SFT → DPO by the task's true reward, in well under a minute on an idle 2-core CPU.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var defaults = new QuickstartOptions();
        var output = new Option<string>("--output") { Description = "Folder for the models, data, metrics, plots and evaluation.json.", DefaultValueFactory = _ => defaults.OutputDir };
        var config = new Option<string?>("--config") { Description = "YAML with the quickstart's keys (see recipes/quickstart.yaml)." };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads. 1 by default: the tiny model's matrices are too small to gain from more, and on a busy machine " +
                          "extra threads wait on each other (measured: one run took 4 s with 1 thread and 84–177 s with 2 on a loaded 2-core box).",
            DefaultValueFactory = _ => 1,
        };
        TrainCommand.KeyFlag[] flags =
        [
            TrainCommand.Flag("task", $"Built-in task: {string.Join(", ", BuiltInTasks.Names)} (default {defaults.Task})"),
            TrainCommand.Flag("seed", "Seeds the model, the data and training"),
            TrainCommand.Flag("sft_max_steps", $"SFT optimizer steps (default {defaults.SftSteps})"),
            TrainCommand.Flag("sft_learning_rate", $"SFT peak learning rate (default {defaults.SftLearningRate})"),
            TrainCommand.Flag("dpo_max_steps", $"DPO optimizer steps (default {defaults.DpoSteps})"),
            TrainCommand.Flag("dpo_learning_rate", $"DPO peak learning rate (default {defaults.DpoLearningRate})"),
            TrainCommand.Flag("beta", $"DPO beta (default {defaults.Beta})"),
            TrainCommand.Flag("eval_prompts", $"Held-out prompts per evaluation (default {defaults.Evaluation.PromptCount})"),
        ];

        var command = new Command("quickstart", "From nothing to an aligned tiny model: init, SFT, DPO, and an evaluation table by the true reward.")
        {
            output, config, threads,
        };
        foreach (var flag in flags) command.Options.Add(flag.Option);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var settings = RecipeSettings.From(parse.GetValue(config), RecipeKeys.Quickstart, "quickstart",
                flags.Select(f => (f.Key, f.Option.Name, parse.GetValue(f.Option))));
            return Run(parse.GetValue(threads), settings.Quickstart(defaults) with { OutputDir = parse.GetValue(output)! });
        }));
        return command;
    }

    static int Run(int threads, QuickstartOptions options)
    {
        if (threads < 1) throw new UserInputException($"--threads must be at least 1 (got {threads})");
        TorchSharp.torch.set_num_threads(threads);
        QuickstartResult result = TrainingDisplay.Run(callbacks =>
            QuickstartRecipe.Run(options, callbacks, line => AnsiConsole.MarkupLineInterpolated($"[grey]quickstart:[/] {line}")));
        foreach (RecipeResult run in new[] { result.Sft, result.Dpo })
            foreach (string png in MetricsPlots.Save(run.OutputDir, Path.GetFileName(run.OutputDir)))
                AnsiConsole.MarkupLineInterpolated($"[grey]plot:[/] {png}");
        AnsiConsole.Write(EvaluationTable.Build(result.Evaluations, "sft"));
        AnsiConsole.MarkupLineInterpolated(
            $"Done in {result.Elapsed.TotalSeconds:0} s. Models in {options.OutputDir}/{{base,sft,dpo}}, data in {Path.Combine(options.OutputDir, QuickstartRecipe.DataFolder)}, samples in {Path.Combine(options.OutputDir, QuickstartRecipe.EvaluationFileName)}");
        return 0;
    }
}
