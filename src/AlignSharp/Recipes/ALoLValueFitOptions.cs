namespace AlignSharp.Recipes;

/// <summary>How A-LoL's value head is fitted (LoL-RL: AdamW lr 1e-5, 5–10 epochs; we default higher for tiny models).</summary>
public sealed record ALoLValueFitOptions
{
    public int Epochs { get; init; } = 20;

    public double LearningRate { get; init; } = 3e-3;

    public int BatchSize { get; init; } = 16;

    /// <summary>Attention heads of the pooling (8 in the code); must divide the hidden size.</summary>
    public int Heads { get; init; } = 2;

    /// <summary>V's range: min + σ(·)(max − min). The code's min is 0 and max_value is per task; keep it the reward's range.</summary>
    public double MinValue { get; init; }

    public double MaxValue { get; init; } = 1.0;

    public int Seed { get; init; } = 42;
}
