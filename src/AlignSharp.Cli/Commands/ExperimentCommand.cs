using System.CommandLine;
using AlignSharp.Cli.Experiments;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp experiment NAME</c>: run one of the built-in reproductions and write its report.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The experiment ('list' shows them)." };
        var output = new Option<string?>("--output") { Description = "Folder for report.md and plots (default: experiments/NAME)." };
        var quick = new Option<bool>("--quick") { Description = "The small version (what the tests run): fewer steps and seeds." };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds, overriding the experiment's own." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (1 is fastest on a shared 2-core machine).", DefaultValueFactory = _ => 1 };
        var command = new Command("experiment", "Run a built-in reproduction of a paper's claim and write its Markdown report and plots.")
        {
            name, output, quick, seeds, threads,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string experimentName = parse.GetValue(name)!;
            if (experimentName == "list")
            {
                var table = new Table().AddColumn("name").AddColumn("reproduces");
                foreach (var e in ExperimentRegistry.All()) table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Description));
                AnsiConsole.Write(table);
                return 0;
            }
            IExperiment experiment = ExperimentRegistry.ByName(experimentName);
            int[]? seedList = parse.GetValue(seeds) is { } s
                ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseSeed).ToArray()
                : null;
            if (parse.GetValue(threads) < 1) throw new UserInputException("--threads must be at least 1");
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var settings = new ExperimentSettings(parse.GetValue(output) ?? Path.Combine("experiments", experiment.Name),
                parse.GetValue(quick), seedList, parse.GetValue(threads));
            ExperimentReport report = experiment.Run(settings);
            AnsiConsole.MarkupLineInterpolated($"Report: [bold]{report.ReportPath}[/]");
            return 0;
        }));
        return command;
    }

    static int ParseSeed(string text) => int.TryParse(text, out int seed)
        ? seed
        : throw new UserInputException($"--seeds: '{text}' is not a whole number");
}
