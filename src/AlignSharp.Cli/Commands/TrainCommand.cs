using System.CommandLine;
using AlignSharp.Cli.Recipes;
using AlignSharp.Cli.Training;
using AlignSharp.Recipes;
using Spectre.Console;

namespace AlignSharp.Cli.Commands;

/// <summary>
/// What <c>sft</c>, <c>rm</c> and <c>dpo</c> share: --model/--data/--output, a YAML recipe with TRL key names,
/// the common keys as flags (flags override the file), --resume, --skip-invalid, --dry-run; then the recipe under a
/// progress display and PNG plots of its curves.
/// </summary>
public static class TrainCommand
{
    /// <summary>A flag that sets a recipe key, e.g. <c>--learning-rate</c> → <c>learning_rate</c>.</summary>
    public sealed record KeyFlag(string Key, Option<string?> Option);

    /// <summary>
    /// The method-specific part of a training command: what --dry-run prints (lines), and the run itself (the folder it
    /// wrote and the steps it took).
    /// </summary>
    public sealed record Method(
        string Name,
        string Description,
        IReadOnlyList<string> Keys,
        IReadOnlyList<KeyFlag> ExtraFlags,
        Func<ModelFolder, string, RecipeSettings, string, IEnumerable<string>> DryRun,
        Func<string, string, RecipeSettings, string, RecipeCallbacks, string?, (string OutputDir, int Steps)> Run,
        string DataDescription = "Training data, JSONL or Parquet with TRL columns.");

    /// <summary>A method trained on a fixed dataset: its dry run shows the validated data and the first examples as the model sees them.</summary>
    public static Method Offline(string name, string description, IReadOnlyList<string> keys, IReadOnlyList<KeyFlag> extraFlags,
        Func<ModelFolder, string, RecipeSettings, string, RecipePlan> plan,
        Func<string, string, RecipeSettings, string, RecipeCallbacks, string?, RecipeResult> run) =>
        new(name, description, keys, extraFlags,
            (folder, data, settings, output) =>
            {
                RecipePlan p = plan(folder, data, settings, output);
                return [.. p.LogLines(), .. p.DescribeExamples(3)];
            },
            (model, data, settings, output, callbacks, resume) =>
            {
                RecipeResult result = run(model, data, settings, output, callbacks, resume);
                return (result.OutputDir, result.Training.GlobalStep);
            });

    public static KeyFlag Flag(string key, string description) =>
        new(key, new Option<string?>("--" + key.Replace('_', '-')) { Description = description + $" (YAML: {key})." });

    /// <summary>The flags of <see cref="RecipeKeys.PairPasses"/>, shared by the pair recipes (dpo, modpo, orpo).</summary>
    public static IReadOnlyList<KeyFlag> PairPassFlags() =>
    [
        Flag("pair_passes", "split (default: chosen then rejected rows back-propagated, SFT-like memory) or concatenated (one pass, faster, more memory); same gradient"),
        Flag("pair_trim_heap", "true (default) or false: return freed native memory to the OS between split passes (lower peak, some CPU)"),
    ];

    public static Command Create(Method method)
    {
        var model = new Option<string>("--model") { Description = "Starting model folder (Hugging Face layout).", Required = true };
        var data = new Option<string>("--data") { Description = method.DataDescription, Required = true };
        var output = new Option<string>("--output") { Description = "Output folder: the trained model, checkpoints, metrics.jsonl, TensorBoard runs/, plots.", Required = true };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: libtorch's choice). 1 is often fastest for tiny models on a busy machine." };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out data in the training file's layout, evaluated every eval_steps (eval_loss and the objective's metrics)." };
        var config = new Option<string?>("--config") { Description = "YAML recipe with TRL key names (see recipes/)." };
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint-<step> folder of the same run." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Drop rows with problems (listed) instead of stopping before step 1." };
        var bf16 = new Option<bool>("--bf16") { Description = "Mixed precision: matrix work in bfloat16 on float32 master weights (YAML: bf16)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate the data, print the effective batch and the first examples as the model sees them, and exit." };
        KeyFlag[] flags =
        [
            Flag("learning_rate", "Peak learning rate"),
            Flag("num_train_epochs", "Passes over the data"),
            Flag("max_steps", "Optimizer steps (overrides epochs)"),
            Flag("per_device_train_batch_size", "Examples per micro-batch"),
            Flag("gradient_accumulation_steps", "Micro-batches per optimizer step"),
            Flag("max_length", "Most tokens per sequence"),
            Flag("max_prompt_length", "Most prompt tokens (cut from the left)"),
            Flag("lr_scheduler_type", "linear, cosine, constant, ..."),
            Flag("warmup_ratio", "Warmup as a share of the steps"),
            Flag("seed", "Seed of the data order and libtorch"),
            Flag("logging_steps", "Steps between metrics rows"),
            Flag("save_steps", "Steps between checkpoints (0: none)"),
            Flag("eval_steps", "Steps between evaluations on --eval-data (0: none)"),
            .. method.ExtraFlags,
        ];

        var command = new Command(method.Name, method.Description) { model, data, output, evalData, config, resume, skipInvalid, bf16, dryRun, threads };
        foreach (KeyFlag flag in flags) command.Options.Add(flag.Option);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            if (parse.GetValue(threads) is int count)
            {
                if (count < 1) throw new UserInputException($"--threads must be at least 1 (got {count})");
                TorchSharp.torch.set_num_threads(count);
            }
            var settings = RecipeSettings.From(parse.GetValue(config), method.Keys, method.Name,
                flags.Select(f => (f.Key, f.Option.Name, parse.GetValue(f.Option)))
                    .Append(("skip_invalid", "--skip-invalid", parse.GetValue(skipInvalid) ? "true" : null))
                    .Append(("bf16", "--bf16", parse.GetValue(bf16) ? "true" : null))
                    .Append((RecipeSettings.EvalDataKey, "--eval-data", parse.GetValue(evalData))));
            return Run(method, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!, settings, parse.GetValue(resume), parse.GetValue(dryRun));
        }));
        return command;
    }

    static int Run(Method method, string modelDir, string dataPath, string outputDir, RecipeSettings settings, string? resume, bool dryRun)
    {
        if (dryRun)
        {
            using ModelFolder folder = ModelFolder.Load(modelDir);
            foreach (string line in method.DryRun(folder, dataPath, settings, outputDir)) AnsiConsole.WriteLine(line);
            AnsiConsole.WriteLine("dry run: nothing trained");
            return 0;
        }
        if (resume is not null && !Directory.Exists(resume)) throw new UserInputException($"--resume {resume}: no such checkpoint folder");

        var (savedTo, steps) = TrainingDisplay.Run(callbacks => method.Run(modelDir, dataPath, settings, outputDir, callbacks(method.Name), resume));
        foreach (string png in MetricsPlots.Save(outputDir, method.Name))
            AnsiConsole.MarkupLineInterpolated($"[grey]plot:[/] {png}");
        AnsiConsole.MarkupLineInterpolated($"{method.Name}: {steps} steps; model saved to [bold]{savedTo}[/]");
        return 0;
    }
}
