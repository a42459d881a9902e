namespace AlignSharp.Cli.Experiments.FrozenLake;

/// <summary>One point of a training curve: the table MSE (all non-terminal states) after a number of optimiser steps.</summary>
public readonly record struct FrozenLakeCurvePoint(int Step, double Mse);

/// <summary>One trained policy: its method and seed, its curve, and the final errors.</summary>
public sealed record FrozenLakeRun(
    FrozenLakeMethod Method,
    int Seed,
    IReadOnlyList<FrozenLakeCurvePoint> Curve,
    double FinalMse,
    double FinalMseOptimalPath,
    double[,] FinalTable);
