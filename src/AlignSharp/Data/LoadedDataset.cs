namespace AlignSharp.Data;

/// <summary>The rows read from one file, the layout they were read as, and the rows skipped as unreadable.</summary>
public sealed record LoadedDataset(string Path, DatasetFormat Format, IReadOnlyList<DatasetRow> Rows, IReadOnlyList<DatasetProblem> Skipped);
