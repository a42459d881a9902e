namespace AlignSharp.Tasks;

/// <summary>
/// What <see cref="LexiconSentimentReward"/> found in a text: positive and negative lexicon hits (after negation)
/// and the number of words. <see cref="Score"/> = (Positive − Negative) / Words, in [-1, 1]; 0 for no words.
/// </summary>
public sealed record SentimentCounts(int Positive, int Negative, int Words)
{
    public double Score => Words == 0 ? 0 : (Positive - Negative) / (double)Words;
}
