using System.Text.Json;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// Reads tests/fixtures/objectives/modpo_goldens.json, written by make_modpo_goldens.py (torch 1.13, float64)
/// from the MODPO formula of algorithms.md §2. Comparison helpers are <see cref="ObjectiveGoldens"/>'s.
/// </summary>
internal static class ModpoGoldens
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "objectives", "modpo_goldens.json");
        Assert.True(File.Exists(path), $"golden file missing at {path}; run tests/fixtures/objectives/make_modpo_goldens.py");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    public static JsonElement Case(int index) => Document.Value.RootElement.GetProperty("modpo")[index];

    public static IEnumerable<object[]> Indices() =>
        Enumerable.Range(0, Document.Value.RootElement.GetProperty("modpo").GetArrayLength()).Select(i => new object[] { i });
}
