using System.Globalization;
using AlignSharp.Objectives;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Runtime;
using AlignSharp.Tasks;
using AlignSharp.Training;
using TorchSharp;

namespace AlignSharp.Bench;

/// <summary>
/// <c>grpo</c>: whole GRPO steps of the real recipe on the reference configuration (8 completions of one 64-token prompt
/// per step, sampled up to 192 tokens), and where their time goes, from the step's own metrics: generation, rewards,
/// the reference's and old log-probs (no gradients), and the update (forward, backward, optimizer). The first step is a
/// warm-up and not counted. beta 0 loads no reference; beta 0.04 adds one no-grad pass of the frozen reference.
/// </summary>
public static class GrpoStepBenchmark
{
    static readonly IRewardFunction Reward = new DelegateReward("vowel_share",
        input => input.Completion.Length == 0 ? 0 : input.Completion.Count(c => "aeiou".Contains(c)) / (double)input.Completion.Length);

    public static int Run(IReadOnlyList<string> args)
    {
        int steps = 4, threads = 1;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--steps": steps = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (steps < 2) throw new ArgumentException("--steps must be at least 2 (the first is a warm-up)");
        torch.set_num_threads(threads);
        string root = Directory.CreateTempSubdirectory("alignsharp-grpo-bench-").FullName;
        try
        {
            string model = Path.Combine(root, "model"), prompts = Path.Combine(root, "prompts.jsonl");
            long parameters = TinyModelFolder.Create(model, ReferenceConfiguration.Model(), seed: 1);
            var random = new Random(1);
            TaskDataFiles.WritePrompts(prompts, Enumerable.Range(0, 16).Select(_ =>
                new string(Enumerable.Range(0, ReferenceConfiguration.PromptLength - 1).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray())));
            Console.WriteLine($"reference configuration, {parameters / 1e6:F1}M parameters; GRPO: 1 prompt of {ReferenceConfiguration.PromptLength} tokens × 8 completions " +
                $"of up to {ReferenceConfiguration.CompletionLength} tokens per step; {steps - 1} timed steps after 1 warm-up; {threads} thread(s)");
            Console.WriteLine();
            Console.WriteLine("| precision | beta | step s | generation s | generated tok/s | rewards s | reference + old log-probs s | update s | update tok/s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var precision in new[] { Precision.Float32, Precision.BFloat16 })
                foreach (double beta in new[] { 0.0, 0.04 })
                {
                    var rows = RunOne(model, prompts, Path.Combine(root, $"out-{precision.Name()}-{beta}"), precision, beta, steps).Skip(1).ToArray();
                    double Mean(string key) => rows.Average(r => r.Values[key]);
                    double generated = rows.Average(r => r.Values["completions/mean_length"]) * 8;
                    double trainedTokens = generated + 8 * ReferenceConfiguration.PromptLength;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {precision.Name()} | {beta} | {Mean("step_time"):F2} | {Mean("timing/generation"):F2} | {generated / Mean("timing/generation"):F0} | " +
                        $"{Mean("timing/rewards"):F3} | {Mean("timing/reference"):F2} | {Mean("timing/update"):F2} | {trainedTokens / Mean("timing/update"):F0} |"));
                }
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    static IReadOnlyList<MetricsRow> RunOne(string model, string prompts, string output, Precision precision, double beta, int steps) =>
        GrpoRecipe.Run(model, prompts, new GrpoRecipeOptions
        {
            Online = new OnlineRecipeOptions
            {
                Common = new RecipeOptions
                {
                    Bf16 = precision == Precision.BFloat16,
                    Training = new TrainingOptions
                    {
                        OutputDir = output, MaxSteps = steps, PerDeviceTrainBatchSize = 8, LearningRate = 1e-5,
                        LrSchedulerType = "constant", LoggingSteps = 1, SaveSteps = 0,
                    },
                },
                Rollout = new RolloutOptions { NumGenerations = 8, MaxCompletionLength = ReferenceConfiguration.CompletionLength, NumCompletionsToPrint = 0 },
            },
            Grpo = new GrpoOptions { Beta = beta },
        }, [Reward]).Training.LogHistory;
}
