using System.Diagnostics;
using System.Text.Json;
using AlignSharp.Cli.Experiments.ALoLNoisy;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Tasks;
using AlignSharp.Training;
using ScottPlot;

namespace AlignSharp.Cli.Experiments;

/// <summary>
/// alol-noisy (algorithms.md §3d): the sentiment task with training data that mixes good and bad continuations
/// (half each) whose rewards are noisy (true reward mapped to [0, 1], plus Gaussian noise, clipped). A tiny llama
/// is trained with NLL on that data (π_ref); then NLL, weighted BC and the four A-LoL variants continue from π_ref
/// on the same data and steps. Reported: mean true reward and distinct-1/2 of sampled completions on held-out
/// prompts, mean ± sd over seeds.
/// </summary>
public sealed class ALoLNoisyExperiment : IExperiment
{
    private static readonly string[] Methods = ["nll", "wbc", "a_lol", "a_lol_ref_free", "a_lol_seq", "a_lol_kl"];

    public string Name => "alol-noisy";

    public string Description => "A-LoL and its variants vs NLL and weighted BC on sentiment data with good and bad responses and noisy rewards";

    private sealed record Scale(int Examples, int SftSteps, int MethodSteps, int BatchSize, int EvalPrompts, int MaxNewTokens, int ValueEpochs);

    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        int[] seeds = settings.Seeds?.ToArray() ?? (settings.Quick ? [0] : [0, 1, 2]);
        var scale = settings.Quick
            ? new Scale(Examples: 48, SftSteps: 10, MethodSteps: 3, BatchSize: 8, EvalPrompts: 8, MaxNewTokens: 12, ValueEpochs: 3)
            : new Scale(Examples: 512, SftSteps: 200, MethodSteps: 60, BatchSize: 16, EvalPrompts: 64, MaxNewTokens: 24, ValueEpochs: 20);
        const double sftLearningRate = 5e-3, methodLearningRate = 3e-4, noiseStd = 0.25, lowQualityShare = 0.5;
        var task = new SentimentTask();
        string[] rows = ["reference (NLL model)", .. Methods];
        var results = rows.ToDictionary(r => r, _ => new List<(double Reward, double Distinct1, double Distinct2)>());

        foreach (int seed in seeds)
        {
            string root = Path.Combine(settings.OutputDir, "runs", $"seed-{seed}");
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            string baseDir = Path.Combine(root, "base"), refDir = Path.Combine(root, "reference");
            string sftData = Path.Combine(root, "data", "sft.jsonl"), scoredData = Path.Combine(root, "data", "scored.jsonl");
            Directory.CreateDirectory(Path.Combine(root, "data"));
            TinyModelFolder.Create(baseDir, seed);
            var demonstrations = task.SftDemonstrations(scale.Examples, lowQualityShare, seed);
            var noisy = new NoisyReward(task.TrueReward, new NoisyRewardOptions { NoiseStd = noiseStd, Seed = seed });
            TaskDataFiles.WriteSft(sftData, demonstrations);
            TaskDataFiles.WriteScored(scoredData, ScoredExample.ScoreAll(noisy, demonstrations.Select(d => new Rewards.RewardInput(d.Prompt, d.Completion)).ToArray()));
            settings.Say($"seed {seed}: {scale.Examples} rows ({lowQualityShare:P0} bad), noisy rewards σ = {noiseStd}; NLL reference {scale.SftSteps} steps");

            SftRecipe.Run(baseDir, sftData, new SftRecipeOptions
            {
                Common = new RecipeOptions { Training = Training(refDir, scale.SftSteps, sftLearningRate, scale.BatchSize, seed) },
            });
            var evaluation = new EvaluationOptions(PromptCount: scale.EvalPrompts, Seed: seed, MaxNewTokens: scale.MaxNewTokens, Temperature: 1.0);
            results[rows[0]].Add(Evaluate("reference", refDir, task, evaluation));

            foreach (string method in Methods)
            {
                string dir = Path.Combine(root, method);
                ALoLRecipe.Run(refDir, scoredData, new ALoLRecipeOptions
                {
                    Common = new RecipeOptions { Training = Training(dir, scale.MethodSteps, methodLearningRate, scale.BatchSize, seed) },
                    Loss = new ALoLOptions { Variant = ALoLVariants.Parse(method), ClipEpsilon = 0.9, KlBeta = 0.1 },
                    ValueFit = new ALoLValueFitOptions { Epochs = scale.ValueEpochs, Seed = seed },
                    ValueMaxNewTokens = scale.MaxNewTokens,
                }, noisy);
                var measured = Evaluate(method, dir, task, evaluation);
                results[method].Add(measured);
                settings.Say($"seed {seed} {method}: true reward {measured.Reward:F3}, distinct-1 {measured.Distinct1:F3}, distinct-2 {measured.Distinct2:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        // Report: the table, a plot, and the raw numbers.
        var report = new MarkdownReport("alol-noisy: A-LoL vs NLL and weighted BC on noisy, mixed-quality data")
            .Paragraph($"Task: sentiment continuation (true reward = (positive − negative lexicon words) / words, in [−1, 1]). Training data: {scale.Examples} demonstrations, {lowQualityShare:P0} of them negative; " +
                       $"each row's training reward is the true reward mapped to [0, 1] plus N(0, {noiseStd}²) noise, clipped to [0, 1]. " +
                       $"π_ref = a tiny llama trained {scale.SftSteps} steps with NLL on the same rows (lr {sftLearningRate}). Every method then starts from π_ref and trains {scale.MethodSteps} steps, batch {scale.BatchSize}, lr {methodLearningRate} (constant), " +
                       $"ε = 0.9, β_KL = 0.1; the value head is fitted on π_ref's greedy samples of the training prompts scored by the same noisy reward. " +
                       $"Evaluation: {scale.EvalPrompts} held-out prompts, one sample each at temperature 1, {scale.MaxNewTokens} new tokens; distinct-n = unique word n-grams / all n-grams over those samples. " +
                       $"Seeds: {string.Join(", ", seeds)} (mean ± sd).{(settings.Quick ? " QUICK settings: not the committed numbers." : "")}")
            .Table(["method", "mean true reward", "distinct-1", "distinct-2"],
                rows.Select(r => (IReadOnlyList<string>)[r, MarkdownReport.MeanSd(results[r].Select(x => x.Reward).ToArray()),
                    MarkdownReport.MeanSd(results[r].Select(x => x.Distinct1).ToArray()), MarkdownReport.MeanSd(results[r].Select(x => x.Distinct2).ToArray())]));
        string plotFile = "alol-noisy.png";
        SavePlot(Path.Combine(settings.OutputDir, plotFile), rows, results);
        report.Image(plotFile, "Mean true reward per method, mean ± sd over seeds (error bars).")
            .Paragraph($"Wall time {clock.Elapsed.TotalMinutes:F1} min on {settings.Threads} libtorch thread(s).");
        string reportPath = report.Save(settings.OutputDir);
        File.WriteAllText(Path.Combine(settings.OutputDir, "results.json"), JsonSerializer.Serialize(
            rows.ToDictionary(r => r, r => results[r].Select(x => new[] { x.Reward, x.Distinct1, x.Distinct2 }).ToArray()), new JsonSerializerOptions { WriteIndented = true }));
        var headline = rows.ToDictionary(r => $"{r}/reward", r => results[r].Average(x => x.Reward));
        foreach (string r in rows) headline[$"{r}/distinct-2"] = results[r].Average(x => x.Distinct2);
        return new ExperimentReport(reportPath, headline);
    }

    private static (double Reward, double Distinct1, double Distinct2) Evaluate(string name, string dir, SentimentTask task, EvaluationOptions options)
    {
        using var folder = ModelFolder.Load(dir);
        PolicyEvaluation evaluation = PolicyEvaluator.Evaluate(name, folder, task, options);
        var completions = evaluation.Samples.Select(s => s.Completion).ToArray();
        return (evaluation.Task.MeanReward, DistinctNGrams.Compute(completions, 1), DistinctNGrams.Compute(completions, 2));
    }

    private static TrainingOptions Training(string outputDir, int steps, double learningRate, int batch, int seed) => new()
    {
        OutputDir = outputDir,
        MaxSteps = steps,
        LearningRate = learningRate,
        PerDeviceTrainBatchSize = batch,
        LrSchedulerType = "constant",
        LoggingSteps = Math.Max(1, steps / 10),
        SaveSteps = 0,
        Seed = seed,
    };

    private static void SavePlot(string path, string[] rows, Dictionary<string, List<(double Reward, double Distinct1, double Distinct2)>> results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Length; i++)
        {
            var values = results[rows[i]].Select(x => x.Reward).ToArray();
            double mean = values.Average();
            double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
            bars.Add(new Bar { Position = i, Value = mean, Error = sd });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Length).Select(i => (double)i).ToArray(), rows.Select(r => r.Replace(" (NLL model)", "")).ToArray());
        plot.Title("alol-noisy: mean true reward of sampled completions");
        plot.YLabel("mean true reward (sentiment)");
        plot.SavePng(path, 900, 500);
    }
}
