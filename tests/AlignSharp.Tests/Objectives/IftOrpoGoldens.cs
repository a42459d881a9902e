using System.Text.Json;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// Reads tests/fixtures/objectives/ift_orpo_goldens.json, written by make_ift_orpo_goldens.py (torch 1.13, float64)
/// from algorithms.md §1 (IFT, the official code's weights) and TRL's ORPO formula. Comparison helpers are
/// <see cref="ObjectiveGoldens"/>'s.
/// </summary>
internal static class IftOrpoGoldens
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "objectives", "ift_orpo_goldens.json");
        Assert.True(File.Exists(path), $"golden file missing at {path}; run tests/fixtures/objectives/make_ift_orpo_goldens.py");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    public static JsonElement Case(string section, int index) => Document.Value.RootElement.GetProperty(section)[index];

    public static IEnumerable<object[]> Indices(string section) =>
        Enumerable.Range(0, Document.Value.RootElement.GetProperty(section).GetArrayLength()).Select(i => new object[] { i });
}
