using System.Diagnostics;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Rewards;
using AlignSharp.Tasks;
using AlignSharp.Training;
using ScottPlot;

namespace AlignSharp.Cli.Experiments;

/// <summary>
/// MODPO's claim on a tiny model (algorithms.md §2 (d)): two objectives, sentiment (the sentiment task's exact reward)
/// and brevity (−characters/10 of the completion). One SFT model; for each weight w on sentiment, MODPO trains on the
/// sentiment preferences with brevity as a frozen margin scorer, w = (w, 1 − w), and the baseline trains plain DPO on a
/// mix of the two preference sets (a share w of sentiment pairs, 1 − w of brevity pairs, the shorter chosen). Both are
/// evaluated by sampling on held-out prompts and scored with the two true rewards: the Pareto fronts of the report.
/// </summary>
public sealed class ModpoParetoExperiment : IExperiment
{
    /// <summary>Brevity's reward unit: ten characters, so its differences are on the scale of sentiment's (levels 1/3 apart).</summary>
    const double CharactersPerUnit = 10;

    public string Name => "modpo-pareto";

    public string Description => "MODPO (sentiment preferences + brevity margin) vs DPO on mixed preference sets: Pareto fronts of the two true rewards over a sweep of w";

    sealed record Scale(int SftSteps, int Pairs, int Steps, int EvalPrompts, double[] Weights);

    sealed record Point(string Method, double W, double Sentiment, double Brevity, double Kl);

    public ExperimentReport Run(ExperimentSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var scale = settings.Quick
            ? new Scale(SftSteps: 20, Pairs: 48, Steps: 4, EvalPrompts: 6, Weights: [0.5])
            : new Scale(SftSteps: 150, Pairs: 512, Steps: 40, EvalPrompts: 48, Weights: [0.2, 0.5, 0.8]);
        int[] seedList = settings.Seeds is { Count: > 0 } given ? [.. given] : settings.Quick ? [0] : [0, 1, 2];
        string output = settings.OutputDir;
        var task = new SentimentTask();
        var brevity = new DelegateReward("brevity", input => -input.Completion.Length / CharactersPerUnit);
        var perSeed = seedList.Select(seed => RunSeed(seed, scale, Path.Combine(output, "runs", $"seed{seed}"), task, brevity, settings)).ToArray();
        // Mean over seeds of each (method, w); the table also gives the spread.
        var points = perSeed[0].Select((p, i) => p with
        {
            Sentiment = perSeed.Average(s => s[i].Sentiment),
            Brevity = perSeed.Average(s => s[i].Brevity),
            Kl = perSeed.Average(s => s[i].Kl),
        }).ToList();
        var evaluation = new EvaluationOptions(PromptCount: scale.EvalPrompts);

        string plotPath = Path.Combine(output, "pareto.png");
        Plot(points, plotPath);
        var report = new MarkdownReport("MODPO vs DPO on mixed preferences: sentiment and brevity")
            .Paragraph($"""
                Reproduces algorithms.md §2 (d) on the built-in sentiment task with a tiny llama (byte tokenizer), seeds {string.Join(", ", seedList)} (one SFT model per seed; table: mean ± sd over seeds){(settings.Quick ? ", **quick version** (not the committed numbers)" : "")}.
                Objective 1, **sentiment**: the task's exact lexicon reward r_s (levels −2/3…2/3). Objective 2, **brevity**: r_b = −characters/10 of the completion.
                Preference data: {scale.Pairs} pairs of sentiment-task completions per objective, labelled by a draw from the Bradley–Terry model
                P(a ≻ b) = σ((r(a) − r(b))/τ), τ = {Temperature} (sentiment pairs by r_s, brevity pairs by r_b, equal lengths dropped).
                SFT: {scale.SftSteps} steps on 1024 demonstrations (30% low-quality).
                For each w: **MODPO** trains on the sentiment pairs with brevity r_b/τ as a frozen margin scorer, w = (w, 1 − w), β = {Beta};
                **DPO mix** trains plain DPO (β = {Beta}) on a mix of the sentiment pairs (share w) and brevity pairs (share 1 − w). Both: {scale.Steps} steps, batch 16, learning rate 3e-4, cosine.
                Evaluation: {scale.EvalPrompts} held-out prompts, one sample each at temperature 1 (max {evaluation.MaxNewTokens} new tokens),
                scored by both true rewards; KL is to the SFT model. Higher is better on both axes.
                """)
            .Table(["model", "w (sentiment)", "sentiment reward", "brevity reward", "mean characters", "KL to SFT"],
                points.Select((p, i) => (IReadOnlyList<string>)
                [
                    p.Method, double.IsNaN(p.W) ? "–" : MarkdownReport.Number(p.W, "0.0"),
                    MarkdownReport.MeanSd(perSeed.Select(s => s[i].Sentiment).ToArray()),
                    MarkdownReport.MeanSd(perSeed.Select(s => s[i].Brevity).ToArray()),
                    MarkdownReport.Number(-p.Brevity * CharactersPerUnit, "0.0"),
                    MarkdownReport.MeanSd(perSeed.Select(s => s[i].Kl).ToArray()),
                ]))
            .Image("pareto.png", "Pareto fronts: sentiment vs brevity")
            .Paragraph($"Run time {clock.Elapsed.TotalMinutes:0.0} min on this machine ({settings.Threads} libtorch thread(s)). " +
                       "The tabular check of the theory (β·log π/π_ref → w·r up to a per-prompt constant) is the unit test ModpoTabularTests.");
        string reportPath = report.Save(output);

        var headline = new Dictionary<string, double>();
        foreach (Point p in points.Where(p => !double.IsNaN(p.W)))
        {
            string key = $"{(p.Method == "MODPO" ? "modpo" : "dpo_mix")}_w{MarkdownReport.Number(p.W, "0.0")}";
            headline[key + "_sentiment"] = p.Sentiment;
            headline[key + "_brevity"] = p.Brevity;
        }
        headline["sft_sentiment"] = points[0].Sentiment;
        headline["sft_brevity"] = points[0].Brevity;
        return new ExperimentReport(reportPath, headline);
    }

    const double Beta = 0.2;

    List<Point> RunSeed(int seed, Scale scale, string work, SentimentTask task, IRewardFunction brevity, ExperimentSettings settings)
    {
        Directory.CreateDirectory(work);

        // 1. One SFT model from a fresh tiny model, as the quickstart does (30% low-quality demonstrations).
        string baseDir = Path.Combine(work, "base"), sftDir = Path.Combine(work, "sft");
        string sftData = Path.Combine(work, "sft.jsonl"), sentimentData = Path.Combine(work, "sentiment_pairs.jsonl"), brevityData = Path.Combine(work, "brevity_pairs.jsonl");
        TinyModelFolder.Create(baseDir, seed);
        TaskDataFiles.WriteSft(sftData, task.SftDemonstrations(1024, 0.3, seed));
        // Labels from a Bradley–Terry model of each true reward at temperature τ, as the paper's synthetic setting samples
        // them from oracle rewards: deterministic labels would let the implicit reward grow without bound on the preference
        // objective, and no finite margin could trade against it.
        var random = new Random(seed);
        var sentimentPairs = BradleyTerryLabels(task.PreferencePairs(scale.Pairs, seed), task.TrueReward, random).ToArray();
        var brevityPairs = BradleyTerryLabels(task.PreferencePairs(scale.Pairs * 2, seed + 1), brevity, random).Take(scale.Pairs).ToArray();
        TaskDataFiles.WritePreferencePairs(sentimentData, sentimentPairs);
        TaskDataFiles.WritePreferencePairs(brevityData, brevityPairs);
        settings.Say($"modpo-pareto: seed {seed}: SFT for {scale.SftSteps} steps");
        SftRecipe.Run(baseDir, sftData, new SftRecipeOptions { Common = new RecipeOptions { Training = Training(sftDir, scale.SftSteps, 5e-3, seed) } });

        var evaluation = new EvaluationOptions(PromptCount: scale.EvalPrompts, Seed: seed);
        var points = new List<Point> { Evaluate("sft", double.NaN, sftDir, sftDir, task, brevity, evaluation) };

        // 2. The sweep: MODPO and the DPO mixture at each w, same steps, learning rate, β and evaluation.
        // The margin is brevity on the scale its labels would have (r/τ), the scale the implicit reward learns sentiment on.
        using var brevityScorer = new RewardMarginScorer(new DelegateReward("brevity_over_tau", input => brevity.Score([input])[0] / Temperature));
        foreach (double w in scale.Weights)
        {
            string tag = MarkdownReport.Number(w, "0.0#");
            string modpoDir = Path.Combine(work, $"modpo_w{tag}"), dpoDir = Path.Combine(work, $"dpo_mix_w{tag}");
            settings.Say($"modpo-pareto: seed {seed}: w = {tag}: MODPO");
            ModpoRecipe.Run(sftDir, sentimentData, new ModpoRecipeOptions
            {
                Common = new RecipeOptions { Training = Training(modpoDir, scale.Steps, 3e-4, seed) },
                Modpo = new ModpoOptions { Beta = Beta, Weights = [w, 1 - w] },
            }, [brevityScorer]);
            points.Add(Evaluate("MODPO", w, modpoDir, sftDir, task, brevity, evaluation));

            settings.Say($"modpo-pareto: seed {seed}: w = {tag}: DPO on mixed preferences");
            string mixData = Path.Combine(work, $"mix_w{tag}.jsonl");
            TaskDataFiles.WritePreferencePairs(mixData, Mix(sentimentPairs, brevityPairs, w, seed));
            DpoRecipe.Run(sftDir, mixData, new DpoRecipeOptions
            {
                Common = new RecipeOptions { Training = Training(dpoDir, scale.Steps, 3e-4, seed) },
                Dpo = new DpoOptions { Beta = Beta },
            });
            points.Add(Evaluate("DPO mix", w, dpoDir, sftDir, task, brevity, evaluation));
        }

        return points;
    }


    static TrainingOptions Training(string outputDir, int steps, double learningRate, int seed) => new()
    {
        OutputDir = outputDir, MaxSteps = steps, LearningRate = learningRate, PerDeviceTrainBatchSize = 16,
        LrSchedulerType = "cosine", WarmupRatio = 0.1, LoggingSteps = 5, SaveSteps = 0, Seed = seed,
    };

    /// <summary>τ of the Bradley–Terry labels: P(a ≻ b) = σ((r(a) − r(b))/τ).</summary>
    const double Temperature = 0.25;

    /// <summary>Each pair's two completions relabelled by a draw from the BT model of <paramref name="reward"/>; ties dropped.</summary>
    static IEnumerable<PreferencePair> BradleyTerryLabels(IEnumerable<PreferencePair> pairs, IRewardFunction reward, Random random)
    {
        foreach (PreferencePair pair in pairs)
        {
            double a = reward.Score([new RewardInput(pair.Prompt, pair.Chosen)])[0], b = reward.Score([new RewardInput(pair.Prompt, pair.Rejected)])[0];
            if (a == b) continue;
            bool keep = random.NextDouble() < 1 / (1 + Math.Exp(-(a - b) / Temperature));
            yield return keep ? pair : new PreferencePair(pair.Prompt, pair.Rejected, pair.Chosen);
        }
    }

    /// <summary>round(w·n) sentiment pairs and the rest brevity pairs, shuffled with the seed.</summary>
    static IReadOnlyList<PreferencePair> Mix(IReadOnlyList<PreferencePair> sentiment, IReadOnlyList<PreferencePair> brevity, double w, int seed)
    {
        int n = sentiment.Count, fromSentiment = (int)Math.Round(w * n);
        var mixed = sentiment.Take(fromSentiment).Concat(brevity.Take(n - fromSentiment)).ToArray();
        new Random(seed).Shuffle(mixed);
        return mixed;
    }

    static Point Evaluate(string method, double w, string modelDir, string sftDir, IBuiltInTask task, IRewardFunction brevity, EvaluationOptions options)
    {
        using ModelFolder policy = ModelFolder.Load(modelDir);
        using ModelFolder reference = ModelFolder.Load(sftDir);
        PolicyEvaluation evaluation = PolicyEvaluator.Evaluate(method, policy, task, options, reference);
        var inputs = evaluation.Samples.Select(s => new RewardInput(s.Prompt, s.Completion)).ToArray();
        double brevityScore = brevity.ScoreChecked(inputs).Average();
        return new Point(method, w, evaluation.Task.MeanReward, brevityScore, evaluation.Task.KlToReference ?? double.NaN);
    }

    static void Plot(IReadOnlyList<Point> points, string path)
    {
        var plot = new Plot();
        foreach (string method in new[] { "MODPO", "DPO mix" })
        {
            var series = points.Where(p => p.Method == method).OrderBy(p => p.W).ToArray();
            if (series.Length == 0) continue;
            var scatter = plot.Add.Scatter(series.Select(p => p.Brevity).ToArray(), series.Select(p => p.Sentiment).ToArray());
            scatter.LegendText = method;
            foreach (Point p in series) plot.Add.Text($"w={MarkdownReport.Number(p.W, "0.0")}", p.Brevity, p.Sentiment);
        }
        var sft = points.Single(p => p.Method == "sft");
        var marker = plot.Add.Marker(sft.Brevity, sft.Sentiment);
        marker.LegendText = "SFT";
        plot.Axes.Margins(horizontal: 0.15, vertical: 0.1); // room for the w labels at the edges
        plot.Title("modpo-pareto: sentiment vs brevity (higher is better on both)");
        plot.XLabel("brevity reward (−characters/10)");
        plot.YLabel("sentiment reward");
        plot.ShowLegend(Alignment.UpperRight); // the better-on-both corner, where no run is expected
        plot.SavePng(path, 800, 600);
    }
}
