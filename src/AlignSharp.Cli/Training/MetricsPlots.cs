using AlignSharp.Objectives;
using AlignSharp.Training;
using ScottPlot;

namespace AlignSharp.Cli.Training;

/// <summary>PNG plots of the main curves of a run, read back from its <c>metrics.jsonl</c> and saved next to it.</summary>
public static class MetricsPlots
{
    /// <summary>Metrics plotted when present: file name and the metrics.jsonl keys on it.</summary>
    static readonly (string File, string Title, string[] Keys)[] Plots =
    [
        ("loss.png", "loss", [MetricNames.Loss, "eval_loss"]),
        ("learning_rate.png", "learning rate", ["learning_rate"]),
        ("rewards_margins.png", "implicit reward margin (chosen − rejected)", [MetricNames.RewardsMargins]),
        ("rewards_accuracies.png", "reward accuracy (chosen > rejected)", [MetricNames.RewardsAccuracies, MetricNames.Accuracy]),
        ("rewards.png", "rewards", [MetricNames.RewardsChosen, MetricNames.RewardsRejected]),
        // Online methods (GRPO, RLOO): what the samples scored, how far the policy moved, how long and how diverse it writes.
        ("reward.png", "reward of the sampled completions", ["reward"]),
        ("kl.png", "KL to the reference", ["kl"]),
        ("completion_length.png", "completion length (tokens)", ["completions/mean_length"]),
        ("entropy.png", "token entropy (nats)", ["entropy"]),
    ];

    /// <summary>Writes the plots whose metrics the run logged; returns their paths.</summary>
    public static IReadOnlyList<string> Save(string outputDir, string title)
    {
        string metricsPath = Path.Combine(outputDir, MetricsJsonlLog.FileName);
        if (!File.Exists(metricsPath)) return [];
        var rows = File.ReadLines(metricsPath).Where(l => l.Length > 0).Select(MetricsJsonlLog.Parse).ToArray();
        var written = new List<string>();
        foreach (var (file, plotTitle, keys) in Plots)
        {
            var series = keys
                .Select(key => (Key: key, Points: rows.Where(r => r.Values.ContainsKey(key)).Select(r => (X: (double)r.Step, Y: r.Values[key])).ToArray()))
                .Where(s => s.Points.Length > 0)
                .ToArray();
            if (series.Length == 0) continue;
            var plot = new Plot();
            foreach (var (key, points) in series)
            {
                var scatter = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
                if (series.Length > 1) scatter.LegendText = key;
            }
            plot.Title($"{title}: {plotTitle}");
            plot.XLabel("optimizer step");
            plot.YLabel(series.Length == 1 ? series[0].Key : "value");
            if (series.Length > 1) plot.ShowLegend();
            string path = Path.Combine(outputDir, file);
            plot.SavePng(path, 800, 500);
            written.Add(path);
        }
        return written;
    }
}
