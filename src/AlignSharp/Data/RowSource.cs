namespace AlignSharp.Data;

/// <summary>Where a row came from: the file and its 1-based line (JSONL) or row (Parquet).</summary>
public readonly record struct RowSource(string File, long Line)
{
    public override string ToString() => $"{File}:{Line}";
}
