using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class LexiconSentimentRewardTests
{
    static readonly LexiconSentimentReward Reward = new(SentimentLexicon.BuiltIn());

    // Expected values counted by hand: (positive − negative) / words.
    [Theory]
    [InlineData("The food was great and the staff was friendly.", 2, 0, 9)] // great, friendly
    [InlineData("Not good, but not bad either.", 1, 1, 6)] // "not good" → negative, "not bad" → positive
    [InlineData("It wasn't boring, it was brilliant!", 2, 0, 6)] // "wasn't boring" → positive, brilliant
    [InlineData("It isn\u2019t good", 0, 1, 3)] // curly apostrophe is a negator too
    [InlineData("Awful. AWFUL!", 0, 2, 2)] // case-insensitive
    [InlineData(" dull and awful.", 0, 2, 3)]
    [InlineData(" good and long.", 1, 0, 3)] // "long" is neutral
    [InlineData("123 !!!", 0, 0, 1)] // numbers are words, punctuation is not
    [InlineData("", 0, 0, 0)]
    public void CountsAndScoreMatchHandComputation(string text, int positive, int negative, int words)
    {
        SentimentCounts counts = Reward.Analyze(text);
        Assert.Equal(new SentimentCounts(positive, negative, words), counts);
        double expected = words == 0 ? 0 : (positive - negative) / (double)words;
        Assert.Equal(expected, Reward.Score([new RewardInput("ignored", text)]).Single(), 12);
    }

    [Fact]
    public void HandComputedScores()
    {
        Assert.Equal(2.0 / 9, Reward.Analyze("The food was great and the staff was friendly.").Score, 12);
        Assert.Equal(1.0 / 3, Reward.Analyze("It wasn't boring, it was brilliant!").Score, 12);
        Assert.Equal(-1.0, Reward.Analyze("Awful. AWFUL!").Score, 12);
        Assert.Equal(0, Reward.Analyze("").Score);
    }

    [Fact]
    public void OnlyTheCompletionIsScored()
    {
        Assert.Equal(-1.0, Reward.Score([new RewardInput("great great great", "bad")]).Single());
    }
}
