namespace AlignSharp.Training;

/// <summary>
/// Where the data reader stands before an optimizer step: recorded in every checkpoint
/// (<c>trainer_state.json</c>) and checked on resume.
/// </summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="MicroBatchInEpoch">Index of the step's first micro-batch within the epoch.</param>
/// <param name="ExampleInEpoch">Index into the epoch's permutation of the step's first example.</param>
/// <param name="GlobalStep">Optimizer steps completed before this position.</param>
public sealed record DataPosition(int Epoch, int MicroBatchInEpoch, int ExampleInEpoch, int GlobalStep);
