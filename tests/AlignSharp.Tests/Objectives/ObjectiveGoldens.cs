using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// Reads tests/fixtures/objectives/goldens.json, written by make_goldens.py (torch 1.13, float64)
/// from the formulas in algorithms.md §9, TRL's conventions and transformers' schedule lambdas.
/// </summary>
internal static class ObjectiveGoldens
{
    public const double Tolerance = 1e-6;

    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "objectives", "goldens.json");
        Assert.True(File.Exists(path), $"golden file missing at {path}; run tests/fixtures/objectives/make_goldens.py");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static JsonElement Case(string section, int index) => Section(section)[index];

    public static IEnumerable<object[]> Indices(string section) =>
        Enumerable.Range(0, Section(section).GetArrayLength()).Select(i => new object[] { i });

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double? OptionalDouble(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : element.GetProperty(property).GetDouble();

    public static Tensor Vector(JsonElement array, bool requiresGrad = false) =>
        torch.tensor(Doubles(array), dtype: ScalarType.Float64).requires_grad_(requiresGrad);

    public static Tensor Matrix(JsonElement rows, bool requiresGrad = false)
    {
        double[][] values = rows.EnumerateArray().Select(Doubles).ToArray();
        int width = values[0].Length;
        var flat = values.SelectMany(r => r).ToArray();
        return torch.tensor(flat, dtype: ScalarType.Float64).reshape(values.Length, width).requires_grad_(requiresGrad);
    }

    public static void AssertClose(double expected, double actual, string what)
    {
        Assert.True(Math.Abs(expected - actual) <= Tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E2} > {Tolerance:E0})");
    }

    public static void AssertClose(JsonElement expected, Tensor actual, string what)
    {
        double[] want = expected.ValueKind == JsonValueKind.Array && expected[0].ValueKind == JsonValueKind.Array
            ? expected.EnumerateArray().SelectMany(Doubles).ToArray()
            : Doubles(expected);
        double[] got = actual.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            AssertClose(want[i], got[i], $"{what}[{i}]");
    }

    public static void AssertMetrics(JsonElement expected, IReadOnlyDictionary<string, double> actual, string what)
    {
        foreach (var metric in expected.EnumerateObject())
        {
            Assert.True(actual.ContainsKey(metric.Name), $"{what}: metric '{metric.Name}' missing; have {string.Join(", ", actual.Keys)}");
            AssertClose(metric.Value.GetDouble(), actual[metric.Name], $"{what} metric {metric.Name}");
        }
    }
}
