namespace AlignSharp.Data;

/// <summary>One non-blank JSONL line: the row, or why the line is unusable (so callers may skip it and go on).</summary>
internal sealed record JsonlLine(JsonlRow? Row, DataFormatException? Error);
