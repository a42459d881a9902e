namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>One method's final errors over the seeds: all non-terminal states (the headline) and the optimal path's states.</summary>
public sealed record FrozenLakeMethodSummary(
    FrozenLakeMethod Method,
    string Label,
    IReadOnlyList<double> FinalMse,
    IReadOnlyList<double> FinalMseOptimalPath,
    double Mean,
    double Sd);
