using System.Collections.Immutable;

namespace AlignSharp.Tasks;

/// <summary>The built-in tasks by name, with their default settings.</summary>
public static class BuiltInTasks
{
    public static ImmutableArray<string> Names { get; } = ["arithmetic", "sentiment"];

    /// <summary>The task called <paramref name="name"/> (case-insensitive); an unknown name is an error listing the known ones.</summary>
    public static IBuiltInTask ByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "arithmetic" => new ArithmeticTask(),
            "sentiment" => new SentimentTask(),
            _ => throw new ArgumentException($"unknown built-in task \"{name}\"; known tasks: {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
