using System.CommandLine;
using AlignSharp.Cli.Training;
using AlignSharp.Recipes;
using AlignSharp.Tasks;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// <c>alignsharp quickstart</c>: a fresh tiny model, SFT on a built-in task's demonstrations, DPO on its preference
/// pairs, and a table of base → SFT → DPO by the task's true reward, in a few minutes on a laptop CPU.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var defaults = new QuickstartOptions();
        var output = new Option<string>("--output") { Description = "Folder for the models, data, metrics and plots.", DefaultValueFactory = _ => defaults.OutputDir };
        var task = new Option<string>("--task") { Description = $"Built-in task: {string.Join(", ", BuiltInTasks.Names)}.", DefaultValueFactory = _ => defaults.Task };
        task.AcceptOnlyFromAmong([.. BuiltInTasks.Names]);
        var seed = new Option<int>("--seed") { Description = "Seeds the model, the data and training.", DefaultValueFactory = _ => defaults.Seed };
        var sftSteps = new Option<int>("--sft-steps") { Description = "SFT optimizer steps.", DefaultValueFactory = _ => defaults.SftSteps };
        var dpoSteps = new Option<int>("--dpo-steps") { Description = "DPO optimizer steps.", DefaultValueFactory = _ => defaults.DpoSteps };
        var sftLearningRate = new Option<double>("--sft-learning-rate") { Description = "SFT peak learning rate.", DefaultValueFactory = _ => defaults.SftLearningRate };
        var dpoLearningRate = new Option<double>("--dpo-learning-rate") { Description = "DPO peak learning rate.", DefaultValueFactory = _ => defaults.DpoLearningRate };
        var threads = new Option<int>("--threads")
        {
            Description = "libtorch threads. 1 by default: the tiny model's matrices are too small to gain from more, and on a busy machine extra threads wait on each other (measured: the same run took 4 s with 1 thread and 84–177 s with 2 on a loaded 2-core box).",
            DefaultValueFactory = _ => 1,
        };
        var beta = new Option<double>("--beta") { Description = "DPO beta.", DefaultValueFactory = _ => defaults.Beta };

        var command = new Command("quickstart", "From nothing to an aligned tiny model: init, SFT, DPO, and an evaluation table by the true reward.")
        {
            output, task, seed, sftSteps, dpoSteps, sftLearningRate, dpoLearningRate, beta, threads,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(threads), defaults with
        {
            OutputDir = parse.GetValue(output)!,
            Task = parse.GetValue(task)!,
            Seed = parse.GetValue(seed),
            SftSteps = parse.GetValue(sftSteps),
            DpoSteps = parse.GetValue(dpoSteps),
            SftLearningRate = parse.GetValue(sftLearningRate),
            DpoLearningRate = parse.GetValue(dpoLearningRate),
            Beta = parse.GetValue(beta),
        })));
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
        AnsiConsole.MarkupLineInterpolated($"Done in {result.Elapsed.TotalSeconds:0} s. Models: {Path.Combine(options.OutputDir, "{base,sft,dpo}")}; data: {Path.Combine(options.OutputDir, QuickstartRecipe.DataFolder)}");
        return 0;
    }
}
