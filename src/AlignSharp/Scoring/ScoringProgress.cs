namespace AlignSharp.Scoring;

/// <summary>How far a batched scoring pass has come, reported after each batch.</summary>
public sealed record ScoringProgress(int RowsDone, int RowsTotal, int BatchesDone, int BatchesTotal);
