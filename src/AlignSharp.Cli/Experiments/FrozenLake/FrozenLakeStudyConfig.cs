namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>
/// Everything that sets the Frozen Lake study's numbers. The objective hyperparameters are the IFT
/// paper's (λ 0.2, γ 0.95; DPO β 0.1; ORPO β 0.25); the optimiser, width and step count are ours
/// (the paper does not give them for the toy).
/// </summary>
public sealed record FrozenLakeStudyConfig
{
    public int HiddenSize { get; init; } = 32;
    public int Steps { get; init; } = 300;
    public double LearningRate { get; init; } = 1e-2;
    public int EvaluateEvery { get; init; } = 10;

    /// <summary>Discount of the value iteration that makes the teacher.</summary>
    public double ValueIterationGamma { get; init; } = 0.9;

    public double IftLambda { get; init; } = 0.2;
    public double IftGamma { get; init; } = 0.95;
    public double DpoBeta { get; init; } = 0.1;
    public double OrpoBeta { get; init; } = 0.25;

    public static FrozenLakeStudyConfig Full { get; } = new();

    public static FrozenLakeStudyConfig Quick { get; } = new() { Steps = 60 };
}
