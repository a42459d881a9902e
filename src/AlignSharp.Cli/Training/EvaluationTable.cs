using System.Globalization;
using AlignSharp.Evaluation;
using Spectre.Console;

namespace AlignSharp.Cli.Training;

/// <summary>The evaluation table: one row per policy with mean true reward, accuracy and KL to the reference.</summary>
public static class EvaluationTable
{
    public static Table Build(IReadOnlyList<PolicyEvaluation> evaluations, string? referenceName)
    {
        var first = evaluations[0];
        var table = new Table()
            .Title($"{first.Task.TaskName}: {first.Task.Count} held-out prompts, seed {first.Options.Seed}, temperature {first.Options.Temperature.ToString(CultureInfo.InvariantCulture)}")
            .AddColumn("model")
            .AddColumn(new TableColumn("mean reward").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn(referenceName is null ? "KL" : $"KL to {referenceName}").RightAligned());
        foreach (var e in evaluations)
            table.AddRow(
                Markup.Escape(e.Name),
                e.Task.MeanReward.ToString("0.000", CultureInfo.InvariantCulture),
                e.Task.Accuracy.ToString("0.000", CultureInfo.InvariantCulture),
                e.Task.KlToReference is { } kl ? kl.ToString("0.00", CultureInfo.InvariantCulture) : "–");
        table.Caption("KL = mean over samples of log π(y|x) − log π_ref(y|x), summed over completion tokens");
        return table;
    }
}
