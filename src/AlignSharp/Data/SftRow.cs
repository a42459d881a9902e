namespace AlignSharp.Data;

/// <summary>A prompt/completion row: the loss is on the completion (both plain text, or both message lists).</summary>
public sealed record SftRow(RowSource Source, RowContent Prompt, RowContent Completion) : DatasetRow(Source);
