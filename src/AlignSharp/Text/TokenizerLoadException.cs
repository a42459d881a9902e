namespace AlignSharp.Text;

/// <summary>
/// A tokenizer file that cannot be loaded: names the file and, for JSON, the path of the offending value.
/// </summary>
public sealed class TokenizerLoadException : Exception
{
    public TokenizerLoadException(string filePath, string? jsonPath, string problem, Exception? inner = null)
        : base(Format(filePath, jsonPath, problem), inner)
    {
        FilePath = filePath;
        JsonPath = jsonPath;
    }

    /// <summary>The file that failed to load.</summary>
    public string FilePath { get; }

    /// <summary>JSON path of the offending value (e.g. <c>$.pre_tokenizer.type</c>), or null.</summary>
    public string? JsonPath { get; }

    private static string Format(string filePath, string? jsonPath, string problem) =>
        jsonPath is null ? $"{filePath}: {problem}" : $"{filePath}: at {jsonPath}: {problem}";
}
