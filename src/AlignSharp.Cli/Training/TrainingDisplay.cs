using System.Globalization;
using AlignSharp.Recipes;
using AlignSharp.Training;
using Spectre.Console;

namespace AlignSharp.Cli.Training;

/// <summary>
/// Runs a recipe under a Spectre.Console progress display: one bar per run with step, loss, learning rate,
/// tokens/s and ETA; the recipe's log lines and each metrics row are printed above it. On a redirected
/// terminal (CI, a log file) a live bar prints only its first frame, so there each metrics row carries tokens/s and ETA instead.
/// </summary>
public static class TrainingDisplay
{
    public static T Run<T>(Func<Func<string, RecipeCallbacks>, T> body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return body(label => Callbacks(null, label));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = body(label => Callbacks(context, label)));
        return result;
    }

    /// <summary>Without a live bar, the speed and ETA go on the metrics line.</summary>
    static string Timing(ProgressContext? context, TrainingProgress? last) =>
        context is not null || last is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"of {last.TotalSteps} ({last.TokensPerSecond:0} tok/s, ETA {last.Eta:mm\\:ss}) ");

    static string Describe(TrainingStart start) =>
        $"{start.TotalSteps} optimizer steps ({start.StepsPerEpoch} per epoch, {start.WarmupSteps} warmup), " +
        $"{start.ExamplesPerStep} examples" + (double.IsNaN(start.TokensPerStep) ? "" : $" and ~{start.TokensPerStep:0} tokens") +
        $" per step, {start.TrainableParameters:N0} trainable parameters" +
        (start.ResumedFrom is null ? "" : $", resumed from {start.ResumedFrom} at step {start.StartStep}");

    static RecipeCallbacks Callbacks(ProgressContext? context, string label)
    {
        ProgressTask? task = null;
        TrainingProgress? last = null;
        return new RecipeCallbacks
        {
            Log = line => AnsiConsole.MarkupLineInterpolated($"[grey]{label}:[/] {line}"),
            Training = new TrainingCallbacks
            {
                OnStart = start =>
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"[grey]{label}:[/] {Describe(start)}");
                    if (context is null) return;
                    task = context.AddTask(label, maxValue: start.TotalSteps);
                    task.Value = start.StartStep;
                },
                OnStep = progress =>
                {
                    last = progress;
                    if (task is null) return;
                    task.Value = progress.Step;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"{label} step {progress.Step}/{progress.TotalSteps} loss {progress.Loss:0.0000} lr {progress.LearningRate:0.##e+0} {progress.TokensPerSecond:0} tok/s ETA {progress.Eta:mm\\:ss}");
                },
                OnLog = row => AnsiConsole.WriteLine($"{label}: step {row.Step} " + Timing(context, last) + string.Join(' ', row.Values
                    .Where(kv => kv.Key is not ("tokens_per_second" or "grad_norm"))
                    .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G4}")))),
                OnCheckpoint = folder => AnsiConsole.MarkupLineInterpolated($"[grey]{label}:[/] checkpoint {folder}"),
            },
        };
    }
}
