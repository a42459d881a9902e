using AlignSharp.Rewards;

namespace AlignSharp.Tasks;

/// <summary>
/// Sentiment steering: continue the start of a short review positively. Prompt: "I saw it twice. The plot was";
/// completion: " great and superb." True reward: <see cref="LexiconSentimentReward"/> on the completion.
/// </summary>
/// <remarks>
/// Completions have one fixed shape, " {adjective} and|but {adjective}.", at five sentiment levels whose rewards
/// are exactly level/3: +2 two positive adjectives (" great and superb.", 2/3); +1 positive and neutral
/// (" good and long.", 1/3); 0 positive but negative (" good but dull.", 0); −1 neutral and negative
/// (−1/3); −2 two negative (" dull and awful.", −2/3). Demonstrations are +2, low-quality ones −2.
/// Preference pairs take two different levels, the higher one chosen, so every level appears in training.
/// A success is a positive reward (more positive than negative words).
/// </remarks>
public sealed class SentimentTask : IBuiltInTask
{
    const int LevelCount = 5; // levels −2..+2
    readonly string[] _trainPrompts;
    readonly string[] _heldOutPrompts;

    public SentimentTask(SentimentOptions? options = null)
    {
        Options = options ?? new SentimentOptions();
        Options.Validate();
        var reward = new LexiconSentimentReward(SentimentLexicon.BuiltIn());
        CheckVocabularyAgainst(reward.Lexicon);
        TrueReward = reward;
        string[] all = SentimentVocabulary.AllPrompts().ToArray();
        _trainPrompts = all.Where(p => PromptSplit.Of(p, Options.HeldOutShare) == Split.Train).ToArray();
        _heldOutPrompts = all.Where(p => PromptSplit.Of(p, Options.HeldOutShare) == Split.HeldOut).ToArray();
        if (_trainPrompts.Length == 0 || _heldOutPrompts.Length == 0)
            throw new ArgumentException($"HeldOutShare {Options.HeldOutShare} leaves the {(_trainPrompts.Length == 0 ? "train" : "held-out")} split of {all.Length} prompts empty", nameof(options));
    }

    public SentimentOptions Options { get; }

    public string Name => "sentiment";

    public string Description => "continue a short review; reward = (positive − negative lexicon words) / words of the completion";

    public IRewardFunction TrueReward { get; }

    /// <summary>A success is a reward above 0: more positive than negative words.</summary>
    public bool IsSuccess(double reward) => reward > 0;

    public IReadOnlyList<SftExample> SftDemonstrations(int count, double lowQualityShare, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        DemonstrationMix.ValidateShare(lowQualityShare);
        SeededRandom prompts = SeededRandom.ForStream(seed, "sentiment/sft/prompts");
        bool[] lowQuality = DemonstrationMix.LowQualityMask(count, lowQualityShare, SeededRandom.ForStream(seed, "sentiment/sft/quality"));
        SeededRandom words = SeededRandom.ForStream(seed, "sentiment/sft/words");
        var rows = new SftExample[count];
        for (int i = 0; i < count; i++)
            rows[i] = new SftExample(prompts.Pick(_trainPrompts), Completion(lowQuality[i] ? -2 : 2, words));
        return rows;
    }

    public IReadOnlyList<PreferencePair> PreferencePairs(int count, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        SeededRandom random = SeededRandom.ForStream(seed, "sentiment/pairs");
        var pairs = new PreferencePair[count];
        for (int i = 0; i < count; i++)
        {
            string prompt = random.Pick(_trainPrompts);
            int first = random.NextInt(LevelCount);
            int second = (first + 1 + random.NextInt(LevelCount - 1)) % LevelCount; // uniform over the other levels
            int chosen = Math.Max(first, second) - 2, rejected = Math.Min(first, second) - 2;
            pairs[i] = new PreferencePair(prompt, Completion(chosen, random), Completion(rejected, random));
        }
        return PreferenceInvariant.EnsureChosenIsBetter(TrueReward, pairs);
    }

    public IReadOnlyList<string> Prompts(int count, Split split, int seed)
    {
        DemonstrationMix.ValidateCount(count);
        DemonstrationMix.ValidateSplit(split);
        string[] pool = split == Split.Train ? _trainPrompts : _heldOutPrompts;
        SeededRandom random = SeededRandom.ForStream(seed, split == Split.Train ? "sentiment/prompts/train" : "sentiment/prompts/held-out");
        var prompts = new string[count];
        for (int i = 0; i < count; i++) prompts[i] = random.Pick(pool);
        return prompts;
    }

    public TaskEvaluation Evaluate(IReadOnlyList<RewardInput> samples) => TaskEvaluation.Compute(this, samples);

    /// <summary>A completion at sentiment <paramref name="level"/> (−2..+2), described in the class remarks.</summary>
    static string Completion(int level, SeededRandom random)
    {
        var positive = SentimentVocabulary.Positive;
        var negative = SentimentVocabulary.Negative;
        var neutral = SentimentVocabulary.Neutral;
        return level switch
        {
            2 => Join(TwoDistinct(positive, random), "and"),
            1 => Join(Ordered(random.Pick(positive), random.Pick(neutral), random), "and"),
            0 => Join(Ordered(random.Pick(positive), random.Pick(negative), random), "but"),
            -1 => Join(Ordered(random.Pick(neutral), random.Pick(negative), random), "and"),
            -2 => Join(TwoDistinct(negative, random), "and"),
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "levels are −2..2"),
        };
    }

    static (string, string) TwoDistinct(IReadOnlyList<string> words, SeededRandom random)
    {
        int first = random.NextInt(words.Count);
        int second = (first + 1 + random.NextInt(words.Count - 1)) % words.Count;
        return (words[first], words[second]);
    }

    static (string, string) Ordered(string a, string b, SeededRandom random) => random.NextBool() ? (a, b) : (b, a);

    static string Join((string First, string Second) words, string conjunction) => $" {words.First} {conjunction} {words.Second}.";

    /// <summary>Fails at construction if the lexicon file and the completion words disagree (an edit to one without the other).</summary>
    static void CheckVocabularyAgainst(SentimentLexicon lexicon)
    {
        foreach (string word in SentimentVocabulary.Positive)
            if (lexicon.Polarity(word) != 1) throw new InvalidOperationException($"sentiment lexicon: \"{word}\" must be positive");
        foreach (string word in SentimentVocabulary.Negative)
            if (lexicon.Polarity(word) != -1) throw new InvalidOperationException($"sentiment lexicon: \"{word}\" must be negative");
        foreach (string word in SentimentVocabulary.Neutral.Append("and").Append("but"))
            if (lexicon.Polarity(word) != 0) throw new InvalidOperationException($"sentiment lexicon: \"{word}\" must not be listed");
    }
}
