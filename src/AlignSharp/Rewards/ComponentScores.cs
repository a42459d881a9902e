namespace AlignSharp.Rewards;

/// <summary>The unweighted scores one component of a <see cref="WeightedReward"/> gave a batch, with its name and weight.</summary>
public sealed record ComponentScores(string Name, double Weight, IReadOnlyList<double> Scores);
