using System.Collections.Frozen;
using System.Text.RegularExpressions;
using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// The true reward of <see cref="SentimentTask"/>: the lexicon score of the completion (the prompt is ignored).
/// </summary>
/// <remarks>
/// Rule: words are maximal runs of letters and digits, with apostrophes allowed inside ("isn't"), compared in
/// lowercase. Each lexicon word counts +1 (positive) or −1 (negative); directly after a negator ("not", "no",
/// "never", "hardly", "cannot", "without", or any word ending in "n't") its sign flips ("not good" counts as one
/// negative). Score = (positive − negative) / number of words in the completion, so it lies in [-1, 1], dense
/// sentiment scores higher than diluted sentiment, and a completion with no words scores 0. There is no stemming
/// and no intensity: "good" and "superb" both count 1.
/// </remarks>
public sealed partial class LexiconSentimentReward : IRewardFunction
{
    static readonly FrozenSet<string> Negators = new[] { "not", "no", "never", "hardly", "cannot", "without" }.ToFrozenSet(StringComparer.Ordinal);

    public LexiconSentimentReward(SentimentLexicon lexicon) => Lexicon = lexicon ?? throw new ArgumentNullException(nameof(lexicon));

    public SentimentLexicon Lexicon { get; }

    public string Name => "sentiment_lexicon";

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var scores = new double[batch.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Analyze(batch[i].Completion).Score;
        return scores;
    }

    /// <summary>Counts by the rule in the remarks.</summary>
    public SentimentCounts Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int positive = 0, negative = 0, words = 0;
        bool negated = false;
        foreach (Match match in WordPattern().Matches(text))
        {
            string word = match.Value.ToLowerInvariant().Replace('\u2019', '\'');
            words++;
            int polarity = Lexicon.Polarity(word) * (negated ? -1 : 1);
            if (polarity > 0) positive++;
            else if (polarity < 0) negative++;
            negated = Negators.Contains(word) || word.EndsWith("n't", StringComparison.Ordinal);
        }
        return new SentimentCounts(positive, negative, words);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
