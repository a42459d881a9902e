using System.CommandLine;
using AlignSharp.Cli.Training;
using AlignSharp.Evaluation;
using AlignSharp.Tasks;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp eval</c>: a policy on a built-in task's held-out prompts, by the true reward (and KL to a reference).</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var defaults = new EvaluationOptions();
        var model = new Option<string>("--model") { Description = "Policy model folder.", Required = true };
        var task = new Option<string>("--task") { Description = $"Built-in task: {string.Join(", ", BuiltInTasks.Names)}.", Required = true };
        task.AcceptOnlyFromAmong([.. BuiltInTasks.Names]);
        var reference = new Option<string?>("--reference") { Description = "Reference model folder: adds the KL of the policy to it, estimated on the samples." };
        var prompts = new Option<int>("--prompts") { Description = "Held-out prompts to sample.", DefaultValueFactory = _ => defaults.PromptCount };
        var seed = new Option<int>("--seed") { Description = "Seeds the prompts and the sampling.", DefaultValueFactory = _ => defaults.Seed };
        var temperature = new Option<double>("--temperature") { Description = "1 samples from the policy (the KL estimate needs it); 0 is greedy.", DefaultValueFactory = _ => defaults.Temperature };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens per completion.", DefaultValueFactory = _ => defaults.MaxNewTokens };
        var samples = new Option<int>("--show") { Description = "Print this many samples.", DefaultValueFactory = _ => 5 };

        var command = new Command("eval", "Evaluate a model on a built-in task by its true reward.")
        {
            model, task, reference, prompts, seed, temperature, maxNewTokens, samples,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var options = defaults with
            {
                PromptCount = parse.GetValue(prompts),
                Seed = parse.GetValue(seed),
                Temperature = parse.GetValue(temperature),
                MaxNewTokens = parse.GetValue(maxNewTokens),
            };
            string? referenceDir = parse.GetValue(reference);
            using ModelFolder policy = ModelFolder.Load(parse.GetValue(model)!);
            using ModelFolder? referenceFolder = referenceDir is null ? null : ModelFolder.Load(referenceDir);
            PolicyEvaluation evaluation = PolicyEvaluator.Evaluate(parse.GetValue(model)!, policy, BuiltInTasks.ByName(parse.GetValue(task)!), options, referenceFolder);
            foreach (EvaluatedSample sample in evaluation.Samples.Take(parse.GetValue(samples)))
                AnsiConsole.MarkupLineInterpolated($"[grey]{sample.Prompt}[/]{sample.Completion}  [grey](reward {sample.Reward:0.###})[/]");
            AnsiConsole.Write(EvaluationTable.Build([evaluation], referenceDir));
            return 0;
        }));
        return command;
    }
}
