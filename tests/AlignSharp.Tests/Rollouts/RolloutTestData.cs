using System.Text.Json;
using AlignSharp.Recipes;
using AlignSharp.Recipes.Online;
using AlignSharp.Rewards;
using AlignSharp.Rollouts;
using AlignSharp.Tasks;
using AlignSharp.Training;

namespace AlignSharp.Tests.Rollouts;

/// <summary>A tiny byte-level llama, a prompt-only file of arithmetic prompts, and online settings small enough for a test.</summary>
sealed class RolloutTestData : IDisposable
{
    public RolloutTestData(long seed = 3, int prompts = 8)
    {
        Root = Directory.CreateTempSubdirectory("alignsharp-rollouts-").FullName;
        ModelDir = Path.Combine(Root, "model");
        TinyModelFolder.Create(ModelDir, seed);
        PromptsPath = Path.Combine(Root, "prompts.jsonl");
        var task = new ArithmeticTask();
        File.WriteAllLines(PromptsPath, task.Prompts(prompts, Split.Train, seed: 5)
            .Select((p, i) => JsonSerializer.Serialize(new { prompt = p, id = i })));
    }

    public string Root { get; }
    public string ModelDir { get; }
    public string PromptsPath { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>A reward a random model's samples differ in: the share of digits in the completion.</summary>
    public static IRewardFunction DigitShare { get; } = new DelegateReward("digit_share",
        input => input.Completion.Length == 0 ? 0 : input.Completion.Count(char.IsAsciiDigit) / (double)input.Completion.Length);

    public static OnlineRecipeOptions Online(string outputDir, int steps, int batch = 8, int accumulation = 1, int generations = 4,
        int iterations = 1, int saveSteps = 0, double learningRate = 1e-3) => new()
    {
        Common = new RecipeOptions
        {
            Training = new TrainingOptions
            {
                OutputDir = outputDir,
                MaxSteps = steps,
                LearningRate = learningRate,
                PerDeviceTrainBatchSize = batch,
                GradientAccumulationSteps = accumulation,
                LoggingSteps = 1,
                SaveSteps = saveSteps,
                LrSchedulerType = "constant",
                Seed = 11,
            },
        },
        Rollout = new RolloutOptions { NumGenerations = generations, MaxCompletionLength = 8, NumIterations = iterations },
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
