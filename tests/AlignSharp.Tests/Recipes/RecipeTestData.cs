using AlignSharp.Recipes;
using AlignSharp.Tasks;
using AlignSharp.Training;

namespace AlignSharp.Tests.Recipes;

/// <summary>A temp folder with a fresh tiny byte-level llama and small data files, deleted on dispose.</summary>
sealed class RecipeTestData : IDisposable
{
    public RecipeTestData(long seed = 3)
    {
        Root = Directory.CreateTempSubdirectory("alignsharp-recipes-").FullName;
        ModelDir = Path.Combine(Root, "model");
        TinyModelFolder.Create(ModelDir, seed);
    }

    public string Root { get; }
    public string ModelDir { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>A fixed small SFT set (the sentiment task's demonstrations).</summary>
    public string SftData(int count = 16)
    {
        string path = PathOf("sft.jsonl");
        TaskDataFiles.WriteSft(path, new SentimentTask().SftDemonstrations(count, 0, seed: 1));
        return path;
    }

    /// <summary>Pairs a tiny model separates easily: the chosen completion always says " yes.", the rejected " no.".</summary>
    public string SeparablePairs(int count = 8)
    {
        string path = PathOf("separable.jsonl");
        var prompts = new SentimentTask().Prompts(count, Split.Train, seed: 2);
        TaskDataFiles.WritePreferencePairs(path, prompts.Select(p => new PreferencePair(p, " yes.", " no.")));
        return path;
    }

    /// <summary>The sentiment task's preference pairs.</summary>
    public string TaskPairs(int count = 8)
    {
        string path = PathOf("pairs.jsonl");
        TaskDataFiles.WritePreferencePairs(path, new SentimentTask().PreferencePairs(count, seed: 3));
        return path;
    }

    public static TrainingOptions Training(string outputDir, int steps, double learningRate = 1e-3, int batch = 4) => new()
    {
        OutputDir = outputDir,
        MaxSteps = steps,
        LearningRate = learningRate,
        PerDeviceTrainBatchSize = batch,
        LoggingSteps = 1,
        SaveSteps = 0,
        LrSchedulerType = "constant",
        Seed = 11,
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
