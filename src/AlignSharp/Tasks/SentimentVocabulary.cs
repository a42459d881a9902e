using System.Collections.Immutable;

namespace AlignSharp.Tasks;

/// <summary>
/// The words sentiment prompts and completions are built from. Prompts are "{opening} {subject}" from three
/// domains (180 in all) and carry no sentiment; completions use a few adjectives each, so a tiny model can learn them.
/// </summary>
static class SentimentVocabulary
{
    public sealed record Domain(ImmutableArray<string> Openings, ImmutableArray<string> Subjects);

    public static readonly ImmutableArray<Domain> Domains =
    [
        new(["I watched it last night.", "We saw it on Sunday.", "I saw it with my kids.", "We watched it at home.", "I rented it last week.", "I saw it twice."],
            ["The movie was", "The film was", "The acting was", "The story was", "The ending was", "The music was", "The plot was", "The cast was", "The script was", "The sound was"]),
        new(["I bought it last week.", "I got it as a gift.", "I have used it for a month.", "My wife ordered it online.", "I use it every day.", "We got it on sale."],
            ["The phone is", "The battery is", "The screen is", "The camera is", "The lamp is", "The blender is", "The jacket is", "The chair is", "The kettle is", "The backpack is"]),
        new(["We ate there on Friday.", "I went there for lunch.", "We had dinner there.", "I took my parents there.", "We came for breakfast.", "I ordered the soup."],
            ["The food was", "The service was", "The pizza was", "The soup was", "The coffee was", "The dessert was", "The staff was", "The menu was", "The bread was", "The room was"]),
    ];

    public static readonly ImmutableArray<string> Positive = ["great", "good", "lovely", "superb", "excellent", "wonderful", "amazing", "perfect", "brilliant", "pleasant"];

    public static readonly ImmutableArray<string> Negative = ["bad", "awful", "poor", "boring", "terrible", "dull", "weak", "horrible", "annoying", "disappointing"];

    /// <summary>Adjectives that are in neither list of the lexicon.</summary>
    public static readonly ImmutableArray<string> Neutral = ["long", "short", "new", "big", "small", "modern", "typical", "different", "usual"];

    public static IEnumerable<string> AllPrompts() =>
        Domains.SelectMany(domain => domain.Openings.SelectMany(opening => domain.Subjects.Select(subject => $"{opening} {subject}")));
}
