namespace AlignSharp.Data;

/// <summary>
/// Reads a dataset file (.jsonl / .json-lines / .parquet) into typed rows, detecting the TRL layout
/// from the columns unless one is given. A bad row is an error naming file, line (Parquet: row) and
/// column; with <c>skipInvalid</c> it is dropped and listed in <see cref="LoadedDataset.Skipped"/> instead.
/// </summary>
public static class DatasetReader
{
    public static LoadedDataset Read(string path, DatasetFormat? overrideFormat = null, bool skipInvalid = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        IReadOnlyDictionary<string, string>? storedTypes = null;
        IEnumerable<JsonlLine> lines;
        string extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".jsonl" or ".json-lines" or ".jsonlines" or ".ndjson":
                lines = JsonlReader.ReadLines(path);
                break;
            case ".parquet":
                (storedTypes, lines) = ParquetRowReader.Read(path);
                break;
            default:
                throw new DataFormatException(path, 0, $"unknown dataset file type \"{extension}\": expected .jsonl or .parquet");
        }

        DatasetFormat? format = overrideFormat;
        if (format is null && storedTypes is not null)
            format = DatasetFormatDetector.Detect(storedTypes.Keys.ToArray(), path, 1); // Parquet: the schema decides
        RowParser? parser = format is null ? null : new RowParser(format.Value, storedTypes);

        long firstLine = 1;
        var rows = new List<DatasetRow>();
        var skipped = new List<DatasetProblem>();
        foreach (JsonlLine line in lines)
        {
            if (line.Error is not null)
            {
                if (!skipInvalid) throw line.Error;
                skipped.Add(line.Error.ToProblem());
                continue;
            }
            JsonlRow row = line.Row!;
            if (parser is null)
            {
                // JSONL: the first readable row decides (never skipped: that would drop everything).
                format = DatasetFormatDetector.Detect(row.ColumnNames().ToArray(), row.File, row.Line);
                parser = new RowParser(format.Value, storedTypes);
                firstLine = row.Line;
            }
            try
            {
                // Later rows must have the same layout: a reward column appearing on line 2 must not be ignored.
                if (overrideFormat is null && storedTypes is null)
                    RequireSameLayout(row, format!.Value, firstLine);
                rows.Add(parser.Parse(row));
            }
            catch (DataFormatException error) when (skipInvalid)
            {
                skipped.Add(error.ToProblem());
            }
        }
        if (format is null || rows.Count + skipped.Count == 0)
            throw new DataFormatException(path, 0, skipped.Count == 0
                ? "the dataset has no rows"
                : $"the dataset has no readable rows ({skipped.Count} skipped; first: {skipped[0]})");
        return new LoadedDataset(path, format.Value, rows, skipped);
    }

    static void RequireSameLayout(JsonlRow row, DatasetFormat fileFormat, long firstLine)
    {
        DatasetFormat rowFormat;
        try { rowFormat = DatasetFormatDetector.Detect(row.ColumnNames().ToArray(), row.File, row.Line); }
        catch (DataFormatException) { return; } // no clear layout of its own: the parser names the missing column
        // A row with only a prompt in a file of another layout lacks that layout's columns: the parser names the missing one.
        if (rowFormat == DatasetFormat.PromptOnly) return;
        if (rowFormat != fileFormat)
            throw new DataFormatException(row.File, row.Line,
                $"the columns ({string.Join(", ", row.ColumnNames())}) are the {rowFormat} layout, but the file is {fileFormat} " +
                $"(detected from line {firstLine}); make the rows uniform or choose the layout explicitly");
    }
}
