using System.Diagnostics;
using AlignSharp.Evaluation;
using AlignSharp.Objectives;
using AlignSharp.Tasks;
using AlignSharp.Training;

namespace AlignSharp.Recipes;

/// <summary>
/// From nothing to an aligned model on a built-in task whose reward is known exactly: a fresh tiny model
/// (<c>base/</c>), SFT on demonstrations with a share of low-quality ones (<c>sft/</c>), DPO on preference pairs
/// with the SFT model as reference (<c>dpo/</c>), then base, SFT and DPO evaluated on held-out prompts by the
/// true reward, with the KL to the SFT model. Everything lands in <see cref="QuickstartOptions.OutputDir"/>.
/// </summary>
public static class QuickstartRecipe
{
    /// <summary>The three evaluations with every sample, as JSON, in the output folder.</summary>
    public const string EvaluationFileName = "evaluation.json";

    public const string BaseFolder = "base", SftFolder = "sft", DpoFolder = "dpo", DataFolder = "data";

    /// <param name="options">Sizes, steps and learning rates.</param>
    /// <param name="callbacks">Given the stage name ("sft", "dpo"), the callbacks of that run; null for none.</param>
    /// <param name="log">Lines describing what happens.</param>
    public static QuickstartResult Run(QuickstartOptions options, Func<string, RecipeCallbacks>? callbacks = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        IBuiltInTask task = BuiltInTasks.ByName(options.Task);
        string output = options.OutputDir;
        string baseDir = Path.Combine(output, BaseFolder), sftDir = Path.Combine(output, SftFolder), dpoDir = Path.Combine(output, DpoFolder);
        string sftData = Path.Combine(output, DataFolder, "sft.jsonl"), dpoData = Path.Combine(output, DataFolder, "dpo.jsonl");
        Directory.CreateDirectory(Path.Combine(output, DataFolder));

        // 1. A fresh tiny model and the task's data.
        TinyModelFolder.Create(baseDir, options.Seed);
        TaskDataFiles.WriteSft(sftData, task.SftDemonstrations(options.SftExamples, options.LowQualityShare, options.Seed));
        TaskDataFiles.WritePreferencePairs(dpoData, task.PreferencePairs(options.PreferencePairs, options.Seed));
        log?.Invoke($"task {task.Name}: {task.Description}");
        log?.Invoke($"wrote a tiny llama to {baseDir}; {options.SftExamples} demonstrations ({options.LowQualityShare:P0} low-quality) to {sftData}; {options.PreferencePairs} preference pairs to {dpoData}");

        // 2. SFT, 3. DPO with the SFT model as reference (the default: the starting policy).
        RecipeResult sft = SftRecipe.Run(baseDir, sftData, new SftRecipeOptions
        {
            Common = new RecipeOptions { Training = Training(sftDir, options.SftSteps, options.SftLearningRate, options) },
        }, callbacks?.Invoke(SftRecipe.Method));
        RecipeResult dpo = DpoRecipe.Run(sftDir, dpoData, new DpoRecipeOptions
        {
            Common = new RecipeOptions { Training = Training(dpoDir, options.DpoSteps, options.DpoLearningRate, options) },
            Dpo = new DpoOptions { Beta = options.Beta },
        }, callbacks?.Invoke(DpoRecipe.Method));

        // 4. Evaluate all three on the same held-out prompts and seeds, KL measured against the SFT model.
        using ModelFolder reference = ModelFolder.Load(sftDir);
        var evaluations = new List<PolicyEvaluation>();
        foreach (var (name, dir) in new[] { ("base", baseDir), ("sft", sftDir), ("dpo", dpoDir) })
        {
            using ModelFolder policy = ModelFolder.Load(dir);
            evaluations.Add(PolicyEvaluator.Evaluate(name, policy, task, options.Evaluation, reference));
        }
        var result = new QuickstartResult(output, evaluations, sft, dpo, clock.Elapsed);
        EvaluationReportFile.Write(Path.Combine(output, EvaluationFileName), evaluations);
        return result;
    }

    static TrainingOptions Training(string outputDir, int steps, double learningRate, QuickstartOptions options) => new()
    {
        OutputDir = outputDir,
        MaxSteps = steps,
        LearningRate = learningRate,
        PerDeviceTrainBatchSize = options.BatchSize,
        LrSchedulerType = "cosine",
        WarmupRatio = 0.1,
        LoggingSteps = 5,
        SaveSteps = 0,
        Seed = options.Seed,
    };
}
