using System.Text.Json;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// Reads tests/fixtures/objectives/alol_goldens.json, written by make_alol_goldens.py (torch 1.13,
/// float64) from the per-sample formulas of algorithms.md §3(a). Comparison helpers are ObjectiveGoldens'.
/// </summary>
internal static class ALoLGoldens
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "objectives", "alol_goldens.json");
        Assert.True(File.Exists(path), $"golden file missing at {path}; run tests/fixtures/objectives/make_alol_goldens.py");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    public static JsonElement Case(int index) => Document.Value.RootElement.GetProperty("alol")[index];

    public static IEnumerable<object[]> Indices() =>
        Enumerable.Range(0, Document.Value.RootElement.GetProperty("alol").GetArrayLength()).Select(i => new object[] { i });
}
