namespace AlignSharp.Checkpoints;

/// <summary>
/// A safetensors file (or a sharded checkpoint's index) that does not follow the format.
/// The message always names the file and, when one is at fault, the tensor or field.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string filePath, string problem, Exception? inner = null)
        : base($"Invalid safetensors file '{filePath}': {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file at fault, as the caller named it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
