using System.Text.Json.Nodes;

namespace AlignSharp.Tests.Modeling;

/// <summary>Checkpoints and goldens made by tests/fixtures/models/make_goldens.py (copied next to the test assembly).</summary>
static class ModelFixtures
{
    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "models", name);

    public static JsonObject Goldens(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(name), "goldens.json")))!;

    public static long[,] Matrix(JsonNode node)
    {
        var rows = node.AsArray();
        int width = rows[0]!.AsArray().Count;
        var result = new long[rows.Count, width];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < width; c++)
                result[r, c] = rows[r]![c]!.GetValue<long>();
        return result;
    }
}

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"alignsharp-modeling-{Guid.NewGuid():N}");

    public ScratchFolder() => Directory.CreateDirectory(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
