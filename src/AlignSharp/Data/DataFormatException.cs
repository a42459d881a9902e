namespace AlignSharp.Data;

/// <summary>A dataset row that cannot be used, with the file, line and (when known) column it came from.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, long line, string message, string? column = null, Exception? inner = null)
        : base(Format(file, line, column, message), inner)
    {
        File = file;
        Line = line;
        Column = column;
        Reason = message;
    }

    public string File { get; }

    /// <summary>1-based line of a JSONL file, or 1-based row of a Parquet file.</summary>
    public long Line { get; }

    public string? Column { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>The same problem as a record, for reports of skipped rows.</summary>
    public DatasetProblem ToProblem() => new(new RowSource(File, Line), Reason, Column);

    static string Format(string file, long line, string? column, string message) =>
        column is null ? $"{file}:{line}: {message}" : $"{file}:{line}: column \"{column}\": {message}";
}
