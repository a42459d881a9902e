using System.Diagnostics;
using AlignSharp.Data;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Tasks;
using AlignSharp.Training;
using ScottPlot;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Cli.Experiments;

/// <summary>
/// IFT's LM claim at laptop scale (algorithms.md §1 (d)): on the quickstart's sentiment task and tiny llama, IFT trained
/// on the SFT data alone vs SFT vs SFT→DPO, by the task's true reward on held-out prompts and the NLL of clean held-out
/// demonstrations, over a few seeds. Models go to runs/ under the output folder (not committed); report.md and PNGs next to it.
/// </summary>
public sealed class IftLmExperiment : IExperiment
{
    public string Name => "ift-lm";

    public string Description => "IFT vs SFT vs SFT→DPO on the built-in sentiment task with a tiny llama: true reward and held-out NLL over seeds.";

    sealed record Config(int SftExamples, double LowQualityShare, int Steps, double LearningRate, int Pairs, int DpoSteps, double DpoLearningRate,
        double Beta, int BatchSize, int EvalPrompts, int HeldOutDemonstrations);

    sealed record MethodResult(string Method, int Seed, double Reward, double Accuracy, double HeldOutNll, double FinalTrainLoss);

    static readonly string[] Methods = ["SFT", "IFT", "IFT (detached weights)", "SFT→DPO"];

    public ExperimentReport Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var config = settings.Quick
            ? new Config(128, 0.3, 12, 5e-3, 32, 4, 3e-4, 0.2, 8, 8, 16)
            : new Config(1024, 0.3, 250, 5e-3, 512, 60, 3e-4, 0.2, 16, 64, 128);
        IReadOnlyList<int> seeds = settings.Seeds ?? (settings.Quick ? [0] : [0, 1, 2]);
        IBuiltInTask task = new SentimentTask();
        var results = new List<MethodResult>();
        foreach (int seed in seeds)
            results.AddRange(RunSeed(settings, task, config, seed));

        var summary = Methods.Select(m => (Method: m, Rows: results.Where(r => r.Method == m).ToArray())).ToArray();
        Directory.CreateDirectory(settings.OutputDir);
        Bars(Path.Combine(settings.OutputDir, "true_reward.png"), "mean true reward (held-out prompts)", summary.Select(s => (s.Method, s.Rows.Select(r => r.Reward).ToArray())).ToArray());
        Bars(Path.Combine(settings.OutputDir, "heldout_nll.png"), "held-out NLL per token (clean demonstrations)", summary.Select(s => (s.Method, s.Rows.Select(r => r.HeldOutNll).ToArray())).ToArray());

        var report = new MarkdownReport("IFT vs SFT vs SFT→DPO on a tiny language task");
        report.Paragraph($"""
            Command: `alignsharp experiment ift-lm{(settings.Quick ? " --quick" : "")}`; seeds {string.Join(", ", seeds)}; {clock.Elapsed.TotalSeconds:0} s wall clock on CPU.
            Task: the built-in sentiment task ({task.Description}). Model: the quickstart's tiny byte-level llama, fresh from each seed.
            Data per seed: {config.SftExamples} demonstrations, {config.LowQualityShare:P0} of them low-quality (the quickstart's mix); {config.Pairs} preference pairs for DPO only.
            SFT and IFT: {config.Steps} steps, batch {config.BatchSize}, learning rate {config.LearningRate}, cosine with 10% warmup, same data and seed.
            IFT: λ = 0.2, γ = 0.95, per-sequence mean (the official code's defaults), gradient through the weights (official code) or
            detached weights (the paper's reading), inputs from the model's live embedding table (the tiny model ties its embeddings,
            so the official code's frozen input copy is refused: see IftRecipeOptions.FreezeInputEmbeddings). SFT→DPO: {config.DpoSteps} DPO steps from the SFT model, β = {config.Beta}, learning rate {config.DpoLearningRate}.
            True reward: mean over {config.EvalPrompts} held-out prompts, one sample each at temperature 1. Held-out NLL: per token over
            {config.HeldOutDemonstrations} clean demonstrations drawn with another seed (training-distribution prompts; they may overlap the training prompts).
            """);
        report.Heading("Results (mean ± sd over seeds)");
        report.Table(["method", "true reward", "accuracy", "held-out NLL/token", "final train loss"],
            summary.Select(s => (IReadOnlyList<string>)[
                s.Method,
                MarkdownReport.MeanSd(s.Rows.Select(r => r.Reward).ToArray()),
                MarkdownReport.MeanSd(s.Rows.Select(r => r.Accuracy).ToArray()),
                MarkdownReport.MeanSd(s.Rows.Select(r => r.HeldOutNll).ToArray()),
                MarkdownReport.MeanSd(s.Rows.Select(r => r.FinalTrainLoss).ToArray()),
            ]));
        report.Heading("Per seed");
        report.Table(["method", "seed", "true reward", "held-out NLL/token"],
            results.Select(r => (IReadOnlyList<string>)[r.Method, r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), MarkdownReport.Number(r.Reward), MarkdownReport.Number(r.HeldOutNll)]));
        report.Image("true_reward.png", "mean true reward by method");
        report.Image("heldout_nll.png", "held-out NLL per token by method");
        report.Paragraph("""
            The final train loss of IFT is its weighted loss under mixed inputs, not comparable with SFT's; DPO's is the DPO loss.
            The paper's claim is IFT ≥ SFT and close to SFT→DPO without preference data; read the table with the seed spread in mind.
            """);
        string path = report.Save(settings.OutputDir);

        var headline = new Dictionary<string, double>();
        foreach (var s in summary)
        {
            headline[$"{s.Method}/reward"] = s.Rows.Average(r => r.Reward);
            headline[$"{s.Method}/heldout_nll"] = s.Rows.Average(r => r.HeldOutNll);
        }
        return new ExperimentReport(path, headline);
    }

    static IEnumerable<MethodResult> RunSeed(ExperimentSettings settings, IBuiltInTask task, Config config, int seed)
    {
        string root = Path.Combine(settings.OutputDir, "runs", $"seed-{seed}");
        string baseDir = Path.Combine(root, "base"), data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        string sftData = Path.Combine(data, "sft.jsonl"), pairsData = Path.Combine(data, "pairs.jsonl"), heldOut = Path.Combine(data, "heldout.jsonl");
        TinyModelFolder.Create(baseDir, seed);
        TaskDataFiles.WriteSft(sftData, task.SftDemonstrations(config.SftExamples, config.LowQualityShare, seed));
        TaskDataFiles.WritePreferencePairs(pairsData, task.PreferencePairs(config.Pairs, seed));
        TaskDataFiles.WriteSft(heldOut, task.SftDemonstrations(config.HeldOutDemonstrations, 0, 100_000 + seed));

        RecipeOptions Common(string dir, int steps, double lr) => new()
        {
            Training = new TrainingOptions
            {
                OutputDir = dir, MaxSteps = steps, LearningRate = lr, PerDeviceTrainBatchSize = config.BatchSize,
                LrSchedulerType = "cosine", WarmupRatio = 0.1, LoggingSteps = 5, SaveSteps = 0, Seed = seed,
            },
        };
        var runs = new List<(string Method, string Dir, RecipeResult Result)>();
        settings.Say($"seed {seed}: SFT");
        string sftDir = Path.Combine(root, "sft");
        runs.Add(("SFT", sftDir, SftRecipe.Run(baseDir, sftData, new SftRecipeOptions { Common = Common(sftDir, config.Steps, config.LearningRate) })));
        settings.Say($"seed {seed}: IFT");
        string iftDir = Path.Combine(root, "ift");
        runs.Add(("IFT", iftDir, IftRecipe.Run(baseDir, sftData, new IftRecipeOptions { Common = Common(iftDir, config.Steps, config.LearningRate) })));
        settings.Say($"seed {seed}: IFT with detached weights");
        string iftLiveDir = Path.Combine(root, "ift-detached");
        runs.Add(("IFT (detached weights)", iftLiveDir, IftRecipe.Run(baseDir, sftData, new IftRecipeOptions
        {
            Common = Common(iftLiveDir, config.Steps, config.LearningRate),
            Ift = new IftOptions { DetachWeights = true },
        })));
        settings.Say($"seed {seed}: DPO from SFT");
        string dpoDir = Path.Combine(root, "dpo");
        runs.Add(("SFT→DPO", dpoDir, DpoRecipe.Run(sftDir, pairsData, new DpoRecipeOptions
        {
            Common = Common(dpoDir, config.DpoSteps, config.DpoLearningRate),
            Dpo = new DpoOptions { Beta = config.Beta },
        })));

        var evaluation = new EvaluationOptions(PromptCount: config.EvalPrompts, Seed: seed);
        foreach (var (method, dir, result) in runs)
        {
            using ModelFolder policy = ModelFolder.Load(dir);
            PolicyEvaluation eval = PolicyEvaluator.Evaluate(method, policy, task, evaluation);
            double nll = HeldOutNll(policy, heldOut);
            double finalLoss = result.Training.LogHistory.Count > 0 ? result.Training.LogHistory[^1].Values["loss"] : double.NaN;
            settings.Say($"seed {seed} {method}: reward {eval.Task.MeanReward:0.000}, held-out NLL {nll:0.000}");
            yield return new MethodResult(method, seed, eval.Task.MeanReward, eval.Task.Accuracy, nll, finalLoss);
        }
    }

    /// <summary>NLL per trained token (completion + EOS) of the held-out demonstrations, no gradient.</summary>
    static double HeldOutNll(ModelFolder policy, string dataPath)
    {
        var options = new RecipeOptions { Training = new TrainingOptions { OutputDir = Path.GetTempPath() } };
        var examples = SftRecipe.Plan(policy, dataPath, options).Data.Rows.Cast<TokenizedExample>().ToArray();
        int paddingId = BatchCollator.PaddingId(policy.Tokenizer.Tokenizer);
        double nll = 0;
        long tokens = 0;
        using var noGrad = no_grad();
        foreach (var chunk in examples.Chunk(16))
        {
            using var scope = NewDisposeScope();
            using SequenceBatch batch = BatchCollator.Collate(chunk.Select(e => e.Sequence).ToArray(), paddingId);
            using LossTokenLogProbs logps = LossTokenLogProbs.Compute(policy.CausalLM, batch, options.ChunkPositions);
            nll -= logps.Sum.sum().ToDouble();
            tokens += logps.Count.sum().ToInt64();
        }
        return nll / tokens;
    }

    static void Bars(string path, string title, IReadOnlyList<(string Label, double[] Values)> bars)
    {
        var plot = new Plot();
        for (int i = 0; i < bars.Count; i++)
        {
            double[] v = bars[i].Values;
            double mean = v.Average();
            double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
            plot.Add.Bar(new Bar { Position = i, Value = mean, Error = sd });
            plot.Add.Markers(Enumerable.Repeat((double)i, v.Length).ToArray(), v);
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Title(title);
        plot.SavePng(path, 900, 500);
    }
}
