using System.Collections.Frozen;
using System.Reflection;
using AlignSharp.Data;

namespace AlignSharp.Tasks;

/// <summary>
/// Sets of positive and negative words (lowercase letters only, no word in both). The built-in one is a
/// hand-written list of about 400 words shipped as an embedded resource (Tasks/Resources/sentiment-lexicon.txt).
/// </summary>
public sealed class SentimentLexicon
{
    const string BuiltInResource = "AlignSharp.Tasks.Resources.sentiment-lexicon.txt";

    public SentimentLexicon(IEnumerable<string> positiveWords, IEnumerable<string> negativeWords)
    {
        ArgumentNullException.ThrowIfNull(positiveWords);
        ArgumentNullException.ThrowIfNull(negativeWords);
        PositiveWords = Checked(positiveWords, nameof(positiveWords));
        NegativeWords = Checked(negativeWords, nameof(negativeWords));
        string[] both = PositiveWords.Intersect(NegativeWords).Order(StringComparer.Ordinal).ToArray();
        if (both.Length > 0) throw new ArgumentException($"words cannot be both positive and negative: {string.Join(", ", both)}");
    }

    public IReadOnlySet<string> PositiveWords { get; }

    public IReadOnlySet<string> NegativeWords { get; }

    /// <summary>+1 for a positive word, -1 for a negative one, 0 otherwise (compared in lowercase).</summary>
    public int Polarity(string word)
    {
        string lower = word.ToLowerInvariant();
        return PositiveWords.Contains(lower) ? 1 : NegativeWords.Contains(lower) ? -1 : 0;
    }

    /// <summary>The lexicon shipped with AlignSharp.</summary>
    public static SentimentLexicon BuiltIn()
    {
        using Stream stream = typeof(SentimentLexicon).Assembly.GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"embedded resource {BuiltInResource} is missing from {typeof(SentimentLexicon).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader, BuiltInResource);
    }

    /// <summary>
    /// Reads the lexicon format: '#' comments and blank lines ignored, a <c>[positive]</c> or <c>[negative]</c>
    /// header, then one word per line. Errors name <paramref name="sourceName"/> and the line.
    /// </summary>
    public static SentimentLexicon Parse(TextReader reader, string sourceName)
    {
        var positive = new List<string>();
        var negative = new List<string>();
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        List<string>? section = null;
        long lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            if (text == "[positive]") { section = positive; continue; }
            if (text == "[negative]") { section = negative; continue; }
            if (section is null) throw new DataFormatException(sourceName, lineNumber, $"word \"{text}\" before any [positive] or [negative] header");
            if (!IsLowercaseWord(text)) throw new DataFormatException(sourceName, lineNumber, $"\"{text}\" is not a lowercase word (letters a-z only)");
            if (seen.TryGetValue(text, out long firstLine)) throw new DataFormatException(sourceName, lineNumber, $"\"{text}\" already listed on line {firstLine}");
            seen[text] = lineNumber;
            section.Add(text);
        }
        return new SentimentLexicon(positive, negative);
    }

    static FrozenSet<string> Checked(IEnumerable<string> words, string parameter)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            if (word is null || !IsLowercaseWord(word)) throw new ArgumentException($"\"{word}\" is not a lowercase word (letters a-z only)", parameter);
            set.Add(word);
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }

    static bool IsLowercaseWord(string word) => word.Length > 0 && word.All(char.IsAsciiLetterLower);
}
