namespace AlignSharp.Tests.Checkpoints;

/// <summary>Files made by tests/fixtures/checkpoints/make_fixtures.py (copied next to the test assembly).</summary>
internal static class Fixtures
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "fixtures", "checkpoints", .. parts]);
}
