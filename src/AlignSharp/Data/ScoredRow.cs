namespace AlignSharp.Data;

/// <summary>A completion with a scalar reward (the <c>reward</c> or <c>score</c> column); the reward may be non-finite until validated.</summary>
public sealed record ScoredRow(RowSource Source, RowContent Prompt, RowContent Completion, double Reward) : DatasetRow(Source);
