using AlignSharp.Training;

namespace AlignSharp.Tests.Recipes;

/// <summary>Two runs' logged curves compared metric by metric (split vs concatenated pair passes, and the like).</summary>
static class MetricCurves
{
    /// <summary>
    /// Same steps, and each of <paramref name="names"/> equal at every step to <paramref name="relative"/> of its size
    /// (at least 1, so values near 0 compare absolutely).
    /// </summary>
    public static void AssertClose(IReadOnlyList<MetricsRow> expected, IReadOnlyList<MetricsRow> actual, IEnumerable<string> names,
        double relative = 1e-5)
    {
        Assert.Equal(expected.Select(r => r.Step), actual.Select(r => r.Step));
        string[] metrics = names.ToArray();
        for (int i = 0; i < expected.Count; i++)
            foreach (string name in metrics)
                Assert.True(Math.Abs(expected[i].Values[name] - actual[i].Values[name]) <= relative * Math.Max(1, Math.Abs(expected[i].Values[name])),
                    $"step {expected[i].Step} {name}: expected {expected[i].Values[name]}, got {actual[i].Values[name]}");
    }
}
