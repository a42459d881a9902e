using System.CommandLine;
using AlignSharp.Modeling;
using AlignSharp.Recipes;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary><c>alignsharp init</c>: a randomly initialised, seeded model folder, so nobody needs a download to start.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch")
        {
            Description = $"Architecture: {string.Join(", ", ModelPresets.Architectures)}.",
            Required = true,
        };
        arch.AcceptOnlyFromAmong([.. ModelPresets.Architectures]);
        var preset = new Option<string>("--preset") { Description = "Model size.", DefaultValueFactory = _ => "tiny" };
        preset.AcceptOnlyFromAmong([.. ModelPresets.Presets]);
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "Tokenizer: 'byte' (256 byte ids + ChatML special tokens, chat template ChatML).",
            DefaultValueFactory = _ => "byte",
        };
        tokenizer.AcceptOnlyFromAmong("byte");
        var output = new Option<string>("--output") { Description = "Folder to write the model into.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights.", DefaultValueFactory = _ => 0 };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a model already in the output folder." };

        var command = new Command("init", "Write a randomly initialised, seeded model folder (Hugging Face layout).")
        {
            arch, preset, tokenizer, output, seed, overwrite,
        };
        command.SetAction(parse => CliErrors.Run(() => Run(
            parse.GetValue(arch)!, parse.GetValue(preset)!, parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(overwrite))));
        return command;
    }

    static int Run(string arch, string preset, string output, long seed, bool overwrite)
    {
        if (File.Exists(Path.Combine(output, ModelConfig.FileName)) && !overwrite)
            throw new UserInputException($"{output} already holds a model (config.json); pass --overwrite to replace it");

        var (config, parameters) = TinyModelFolder.Create(output, seed, arch, preset);
        AnsiConsole.MarkupLineInterpolated(
            $"Wrote a {preset} {config.Architecture} ({parameters:N0} parameters, seed {seed}) with the byte tokenizer to [bold]{output}[/]");
        return 0;
    }
}
