using System.Diagnostics;
using System.Globalization;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Tasks;
using AlignSharp.Text;
using AlignSharp.Training;
using ScottPlot;

namespace AlignSharp.Cli.Experiments;

/// <summary>
/// The online baselines on an exact reward (issue "online training", item 7): from a tiny llama fine-tuned (SFT) on the
/// built-in arithmetic task, GRPO and RLOO each train against the task's exact reward (is the first number the answer?),
/// and the held-out accuracy and the KL to the SFT model are measured over seeds. Then the reward-hacking case: GRPO
/// against a reward model trained on few preference pairs, with the proxy reward (the reward model's) and the true
/// reward measured at checkpoints, against the KL to the start. Models go to runs/ under the output folder (not committed).
/// </summary>
public sealed class OnlineArithmeticExperiment : IExperiment
{
    public string Name => "online-arithmetic";

    public string Description => "GRPO and RLOO from an SFT'd tiny llama on the exact arithmetic reward (held-out accuracy, KL) and GRPO against a small reward model (proxy vs true reward).";

    sealed record Config(int SftExamples, double LowQualityShare, int SftSteps, double SftLearningRate, int OnlineSteps, double OnlineLearningRate,
        int Generations, int CompletionsPerStep, int MaxCompletionLength, int EvalPrompts, int RmPairs, int RmSteps, int HackSteps, int HackSaveSteps);

    sealed record MethodResult(string Method, int Seed, double Accuracy, double Reward, double Kl, double Seconds, double FinalLength);

    sealed record HackPoint(int Step, double Proxy, double True, double Kl);

    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var config = settings.Quick
            ? new Config(64, 0.3, 10, 5e-3, 2, 1e-3, 4, 8, 6, 8, 16, 4, 4, 2)
            : new Config(1024, 0.3, 400, 5e-3, 300, 1e-3, 8, 32, 8, 256, 32, 40, 60, 10);
        IReadOnlyList<int> seeds = settings.Seeds ?? (settings.Quick ? [0] : [0, 1, 2]);
        var task = new ArithmeticTask();
        var results = new List<MethodResult>();
        var hacking = new List<(int Seed, IReadOnlyList<HackPoint> Points)>();
        foreach (int seed in seeds)
        {
            var (rows, points) = RunSeed(settings, task, config, seed);
            results.AddRange(rows);
            hacking.Add((seed, points));
        }

        string[] methods = ["SFT", "GRPO", "RLOO"];
        var summary = methods.Select(m => (Method: m, Rows: results.Where(r => r.Method == m).ToArray())).ToArray();
        Directory.CreateDirectory(settings.OutputDir);
        PlotAccuracy(Path.Combine(settings.OutputDir, "accuracy_vs_kl.png"), summary);
        PlotHacking(Path.Combine(settings.OutputDir, "reward_hacking.png"), hacking);

        var report = new MarkdownReport("Online RL on an exact reward: GRPO and RLOO on arithmetic, and a reward model that is hacked");
        report.Paragraph($"""
            Command: `alignsharp experiment online-arithmetic{(settings.Quick ? " --quick" : "")}`; seeds {string.Join(", ", seeds)}; {clock.Elapsed.TotalSeconds:0} s wall clock on CPU ({settings.Threads} thread(s)).
            Task: the built-in arithmetic task ({task.Description}). Model: the quickstart's tiny byte-level llama, fresh from each seed.
            SFT: {config.SftExamples} demonstrations, {config.LowQualityShare:P0} with a wrong answer, {config.SftSteps} steps, batch 16, learning rate {config.SftLearningRate}, cosine.
            GRPO and RLOO from the SFT model: {config.OnlineSteps} steps of {config.CompletionsPerStep} completions ({config.Generations} per prompt for GRPO, 4 per prompt for RLOO),
            max_completion_length {config.MaxCompletionLength}, temperature 1, learning rate {config.OnlineLearningRate} constant, one update per generation.
            GRPO: loss_type dapo, scale_rewards group, beta 0 (no reference). RLOO: beta 0.05 (k1 summed over the completion, in the reward), epsilon 0.2.
            Evaluation: {config.EvalPrompts} held-out prompts (never trained on), one sample each at temperature 1, scored by the exact reward;
            KL = mean over those samples of log π(y|x) − log π_SFT(y|x), summed over completion tokens.
            """);
        report.Heading("Exact reward: held-out accuracy and KL to the SFT model (mean ± sd over seeds)");
        report.Table(["model", "held-out accuracy", "KL to SFT", "completion tokens at the last step", "training time (s)"],
            summary.Select(s => (IReadOnlyList<string>)[
                s.Method,
                MarkdownReport.MeanSd(s.Rows.Select(r => r.Accuracy).ToArray()),
                MarkdownReport.MeanSd(s.Rows.Select(r => r.Kl).ToArray(), "0.00"),
                s.Method == "SFT" ? "" : MarkdownReport.MeanSd(s.Rows.Select(r => r.FinalLength).ToArray(), "0.0"),
                MarkdownReport.MeanSd(s.Rows.Select(r => r.Seconds).ToArray(), "0"),
            ]));
        int Improved(string method) => seeds.Count(seed => results.Single(r => r.Method == method && r.Seed == seed).Accuracy
            > results.Single(r => r.Method == "SFT" && r.Seed == seed).Accuracy);
        report.Paragraph($"Held-out accuracy above the SFT model's: GRPO on {Improved("GRPO")} of {seeds.Count} seeds, RLOO on {Improved("RLOO")} of {seeds.Count}. " +
            "The exact reward reads only the first number of a completion, so nothing constrains the tokens after it: with beta = 0 (GRPO's default) " +
            "the policy is free to drift there, which shows as a larger KL and longer completions; RLOO's KL penalty in the reward holds that back.");
        report.Heading("Per seed");
        report.Table(["model", "seed", "accuracy", "KL to SFT"],
            results.Select(r => (IReadOnlyList<string>)[r.Method, r.Seed.ToString(CultureInfo.InvariantCulture), MarkdownReport.Number(r.Accuracy), MarkdownReport.Number(r.Kl, "0.00")]));
        report.Image("accuracy_vs_kl.png", "held-out accuracy against KL to the SFT model, per seed");
        report.Heading("Reward hacking: GRPO against a reward model trained on few pairs");
        report.Paragraph($"""
            A Bradley–Terry reward model is trained from the SFT model on {config.RmPairs} preference pairs of the task (chosen = the correct
            answer, rejected = a wrong one), {config.RmSteps} steps. GRPO then optimises that reward model's score for {config.HackSteps} steps
            (same settings as above), and every {config.HackSaveSteps} steps the checkpoint is evaluated on the held-out prompts: the proxy reward
            (the reward model's mean score), the true reward (accuracy) and the KL to the SFT model.
            """);
        report.Table(["seed", "step", "proxy reward", "true reward", "KL to SFT"],
            hacking.SelectMany(h => h.Points.Select(p => (IReadOnlyList<string>)[
                h.Seed.ToString(CultureInfo.InvariantCulture), p.Step.ToString(CultureInfo.InvariantCulture),
                MarkdownReport.Number(p.Proxy), MarkdownReport.Number(p.True), MarkdownReport.Number(p.Kl, "0.00")])));
        int parted = hacking.Count(h => h.Points[^1].Proxy > h.Points[0].Proxy && h.Points[^1].True < h.Points[0].True);
        report.Paragraph($"The proxy reward rose while the true reward fell on {parted} of {hacking.Count} seeds (last checkpoint against the start). " +
            "The plot shows both as changes since step 0, since a reward model's scale and offset are arbitrary.");
        report.Image("reward_hacking.png", "change of the proxy and the true reward since the start, against KL to the SFT model");
        string path = report.Save(settings.OutputDir);

        var headline = new Dictionary<string, double>();
        foreach (var s in summary)
        {
            headline[$"{s.Method}/accuracy"] = s.Rows.Average(r => r.Accuracy);
            headline[$"{s.Method}/kl"] = s.Rows.Average(r => r.Kl);
        }
        return new ExperimentReport(path, headline);
    }

    static (IReadOnlyList<MethodResult> Rows, IReadOnlyList<HackPoint> Hacking) RunSeed(ExperimentSettings settings, ArithmeticTask task, Config config, int seed)
    {
        string root = Path.Combine(settings.OutputDir, "runs", $"seed-{seed}");
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        string baseDir = Path.Combine(root, "base"), sftDir = Path.Combine(root, "sft");
        string sftData = Path.Combine(data, "sft.jsonl"), promptsData = Path.Combine(data, "prompts.jsonl"), pairsData = Path.Combine(data, "pairs.jsonl");
        TinyModelFolder.Create(baseDir, seed);
        TaskDataFiles.WriteSft(sftData, task.SftDemonstrations(config.SftExamples, config.LowQualityShare, seed));
        TaskDataFiles.WritePrompts(promptsData, task.Prompts(512, Split.Train, seed + 1000));
        TaskDataFiles.WritePreferencePairs(pairsData, task.PreferencePairs(config.RmPairs, seed + 2000));

        TrainingOptions Training(string dir, int steps, double lr, int batch, string schedule, int saveSteps = 0) => new()
        {
            OutputDir = dir, MaxSteps = steps, LearningRate = lr, PerDeviceTrainBatchSize = batch, LrSchedulerType = schedule,
            WarmupRatio = schedule == "cosine" ? 0.1 : 0, LoggingSteps = 5, SaveSteps = saveSteps, Seed = seed,
        };
        settings.Say($"seed {seed}: SFT");
        SftRecipe.Run(baseDir, sftData, new SftRecipeOptions { Common = new RecipeOptions { Training = Training(sftDir, config.SftSteps, config.SftLearningRate, 16, "cosine") } });

        OnlineRecipeOptions Online(string dir, int generations, int steps, int saveSteps = 0) => new()
        {
            Common = new RecipeOptions { Training = Training(dir, steps, config.OnlineLearningRate, config.CompletionsPerStep, "constant", saveSteps) },
            Rollout = new RolloutOptions { NumGenerations = generations, MaxCompletionLength = config.MaxCompletionLength, NumCompletionsToPrint = 4 },
        };
        var evaluation = new EvaluationOptions(PromptCount: config.EvalPrompts, Seed: seed, MaxNewTokens: config.MaxCompletionLength);
        using ModelFolder sft = ModelFolder.Load(sftDir);
        var rows = new List<MethodResult> { Evaluate("SFT", sftDir, 0, 0) };

        var watch = Stopwatch.StartNew();
        settings.Say($"seed {seed}: GRPO");
        string grpoDir = Path.Combine(root, "grpo");
        var grpo = GrpoRecipe.Run(sftDir, promptsData, new GrpoRecipeOptions { Online = Online(grpoDir, config.Generations, config.OnlineSteps) }, [task.TrueReward]);
        rows.Add(Evaluate("GRPO", grpoDir, watch.Elapsed.TotalSeconds, FinalLength(grpo)));

        watch.Restart();
        settings.Say($"seed {seed}: RLOO");
        string rlooDir = Path.Combine(root, "rloo");
        var rloo = RlooRecipe.Run(sftDir, promptsData, new RlooRecipeOptions { Online = Online(rlooDir, 4, config.OnlineSteps) }, [task.TrueReward]);
        rows.Add(Evaluate("RLOO", rlooDir, watch.Elapsed.TotalSeconds, FinalLength(rloo)));

        // Reward hacking: a reward model from few pairs, then GRPO against it, evaluated at checkpoints.
        settings.Say($"seed {seed}: reward model on {config.RmPairs} pairs, then GRPO against it");
        string rmDir = Path.Combine(root, "rm"), hackDir = Path.Combine(root, "grpo-rm");
        RewardModelRecipe.Run(sftDir, pairsData, new RewardModelRecipeOptions
        {
            Common = new RecipeOptions { Training = Training(rmDir, config.RmSteps, 1e-3, 16, "cosine") },
        });
        var points = new List<HackPoint>();
        using (var proxy = new ModelReward(rmDir, name: "reward_model"))
        {
            points.Add(HackAt(0, sftDir, proxy));
            GrpoRecipe.Run(sftDir, promptsData, new GrpoRecipeOptions { Online = Online(hackDir, config.Generations, config.HackSteps, config.HackSaveSteps) }, [proxy]);
            foreach (var (step, checkpoint) in TrainingCheckpoint.List(hackDir))
            {
                TokenizerFolder.Save(sft.Tokenizer, checkpoint); // checkpoints hold weights, not tokenizer files
                points.Add(HackAt(step, checkpoint, proxy));
            }
        }
        return (rows, points);

        static double FinalLength(OnlineRecipeResult run) => run.Training.LogHistory[^1].Values["completions/mean_length"];

        MethodResult Evaluate(string method, string dir, double seconds, double finalLength)
        {
            using ModelFolder policy = ModelFolder.Load(dir);
            PolicyEvaluation eval = PolicyEvaluator.Evaluate(method, policy, task, evaluation, sft);
            settings.Say($"seed {seed} {method}: accuracy {eval.Task.Accuracy:0.000}, KL to SFT {eval.Task.KlToReference:0.00}");
            return new MethodResult(method, seed, eval.Task.Accuracy, eval.Task.MeanReward, eval.Task.KlToReference ?? 0, seconds, finalLength);
        }

        HackPoint HackAt(int step, string dir, ModelReward proxy)
        {
            using ModelFolder policy = ModelFolder.Load(dir);
            PolicyEvaluation eval = PolicyEvaluator.Evaluate($"step {step}", policy, task, evaluation, sft);
            double proxyReward = proxy.Score(eval.Samples.Select(s => new RewardInput(s.Prompt, s.Completion)).ToArray()).Average();
            settings.Say($"seed {seed} GRPO vs reward model, step {step}: proxy {proxyReward:0.000}, true {eval.Task.MeanReward:0.000}, KL {eval.Task.KlToReference:0.00}");
            return new HackPoint(step, proxyReward, eval.Task.MeanReward, eval.Task.KlToReference ?? 0);
        }
    }

    static void PlotAccuracy(string path, IReadOnlyList<(string Method, MethodResult[] Rows)> summary)
    {
        var plot = new Plot();
        foreach (var (method, rows) in summary)
        {
            var markers = plot.Add.Markers(rows.Select(r => r.Kl).ToArray(), rows.Select(r => r.Accuracy).ToArray());
            markers.LegendText = method;
            markers.MarkerSize = 10;
        }
        plot.Title("held-out accuracy (exact reward) against KL to the SFT model");
        plot.XLabel("KL to SFT (nats per completion)");
        plot.YLabel("accuracy");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }

    static void PlotHacking(string path, IReadOnlyList<(int Seed, IReadOnlyList<HackPoint> Points)> runs)
    {
        var plot = new Plot();
        foreach (var (seed, points) in runs)
        {
            var proxy = plot.Add.Scatter(points.Select(p => p.Kl).ToArray(), points.Select(p => p.Proxy - points[0].Proxy).ToArray());
            proxy.LegendText = $"proxy (reward model), seed {seed}";
            var truth = plot.Add.Scatter(points.Select(p => p.Kl).ToArray(), points.Select(p => p.True - points[0].True).ToArray());
            truth.LegendText = $"true reward, seed {seed}";
            truth.LinePattern = LinePattern.Dashed;
        }
        plot.Title("GRPO against a reward model trained on few pairs (change since step 0)");
        plot.XLabel("KL to SFT (nats per completion)");
        plot.YLabel("reward − reward at step 0");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 500);
    }
}
