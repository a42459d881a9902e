namespace AlignSharp.Recipes;

/// <summary>
/// Settings of <see cref="QuickstartRecipe"/>. The defaults were measured to finish well under five minutes on a
/// loaded 2-core CPU and to separate base, SFT and DPO clearly on the sentiment task.
/// </summary>
public sealed record QuickstartOptions
{
    public string OutputDir { get; init; } = Path.Combine("runs", "quickstart");

    /// <summary>A built-in task (see <see cref="Tasks.BuiltInTasks.Names"/>).</summary>
    public string Task { get; init; } = "sentiment";

    /// <summary>Seeds the model init, the data and both training runs.</summary>
    public int Seed { get; init; }

    public int SftExamples { get; init; } = 1024;

    /// <summary>Share of low-quality demonstrations, so SFT alone gives a mixed policy that DPO can improve on.</summary>
    public double LowQualityShare { get; init; } = 0.3;

    public int SftSteps { get; init; } = 400;

    public double SftLearningRate { get; init; } = 5e-3;

    public int PreferencePairs { get; init; } = 512;

    public int DpoSteps { get; init; } = 100;

    public double DpoLearningRate { get; init; } = 3e-4;

    public double Beta { get; init; } = 0.2;

    public int BatchSize { get; init; } = 16;

    public Evaluation.EvaluationOptions Evaluation { get; init; } = new(PromptCount: 64);
}
