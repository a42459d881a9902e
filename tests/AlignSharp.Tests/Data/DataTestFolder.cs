namespace AlignSharp.Tests.Data;

/// <summary>A temporary folder for dataset files written by one test class.</summary>
public sealed class DataTestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("alignsharp-data-").FullName;

    public string Jsonl(string name, params string[] lines)
    {
        string path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
