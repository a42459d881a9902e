namespace AlignSharp.Tasks.FrozenLake;

/// <summary>One step of a trajectory: the cell the agent is on and the move it makes there.</summary>
public readonly record struct FrozenLakeStep(int State, FrozenLakeAction Action);
