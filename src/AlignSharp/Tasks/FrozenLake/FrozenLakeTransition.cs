namespace AlignSharp.Tasks.FrozenLake;

/// <summary>The outcome of one move: the next cell, the reward (1 on reaching the goal) and whether the episode ended.</summary>
public readonly record struct FrozenLakeTransition(int NextState, double Reward, bool Terminal);
