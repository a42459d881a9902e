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
    }

    public string File { get; }
    public long Line { get; }
    public string? Column { get; }

    static string Format(string file, long line, string? column, string message) =>
        column is null ? $"{file}:{line}: {message}" : $"{file}:{line}: column \"{column}\": {message}";
}
