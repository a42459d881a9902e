using AlignSharp.Rewards;

namespace AlignSharp.Tests.Rewards;

public class LengthRewardTests
{
    [Fact]
    public void CharactersAreUnicodeScalarsOfTheCompletionOnly()
    {
        var reward = new LengthReward(LengthUnit.Characters);
        // "héllo 😀": h é l l o, space, one emoji (two UTF-16 units, one scalar) = 7
        IReadOnlyList<double> scores = reward.Score([new("a very long prompt that is ignored", "héllo 😀"), new("p", "")]);
        Assert.Equal(new double[] { -7, 0 }, scores);
        Assert.Equal("negative_length_characters", reward.Name);
    }

    [Fact]
    public void WordsAreRunsOfNonWhitespace()
    {
        var reward = new LengthReward(LengthUnit.Words);
        IReadOnlyList<double> scores = reward.Score([new("p", "  two\twords \n"), new("p", "one"), new("p", "   ")]);
        Assert.Equal(new double[] { -2, -1, 0 }, scores);
        Assert.Equal("negative_length_words", reward.Name);
    }

    [Fact]
    public void DelegateRewardNeedsAName()
    {
        Assert.Throws<ArgumentException>(() => new DelegateReward(" ", _ => 0));
    }
}
