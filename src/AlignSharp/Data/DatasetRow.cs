namespace AlignSharp.Data;

/// <summary>One usable row of a dataset, typed by its layout, with where it came from.</summary>
public abstract record DatasetRow(RowSource Source);
