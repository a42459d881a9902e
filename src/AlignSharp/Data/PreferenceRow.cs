namespace AlignSharp.Data;

/// <summary>
/// A preference pair sharing one prompt. For implicit-prompt rows (HH transcripts, diverging message
/// lists) the reader has already split off the shared prompt.
/// </summary>
public sealed record PreferenceRow(RowSource Source, RowContent Prompt, RowContent Chosen, RowContent Rejected) : DatasetRow(Source);
