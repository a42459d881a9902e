using System.Collections.Immutable;

namespace AlignSharp.Tasks;

/// <summary>The few words arithmetic prompts are built from: small on purpose, so a tiny byte-level model can learn the format.</summary>
static class ArithmeticVocabulary
{
    public static readonly ImmutableArray<string> People = ["Tom", "Ann", "Sam", "Mia", "Ben", "Eva", "Max", "Zoe", "Leo", "Ivy", "Tim", "Amy"];

    /// <summary>Counted things, plural; the singular drops the final "s".</summary>
    public static readonly ImmutableArray<string> Items = ["apples", "pens", "books", "cards", "coins", "eggs", "cups", "toys", "stamps", "shells"];

    public static readonly ImmutableArray<string> AddVerbs = ["buys", "finds", "gets"];

    public static readonly ImmutableArray<string> SubtractVerbs = ["loses", "sells", "gives away"];

    /// <summary>Containers for multiplication, plural; the singular of "boxes" is "box".</summary>
    public static readonly ImmutableArray<string> Containers = ["bags", "boxes", "jars"];

    public static string Counted(int count, string plural) => count == 1 ? Singular(plural) : plural;

    public static string Singular(string plural) => plural.EndsWith("xes", StringComparison.Ordinal) ? plural[..^2] : plural[..^1];

    public static string Plural(string singular) => singular.EndsWith('x') ? singular + "es" : singular + "s";
}
