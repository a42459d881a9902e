using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class ArithmeticAnswerTests
{
    const string Prompt = "Tom has 3 apples and buys 4 more. How many apples does Tom have?";

    [Theory]
    [InlineData(" 7", 7.0)]
    [InlineData("7.", 7.0)]
    [InlineData(" 7 apples, because 3 + 4 = 7", 7.0)]
    [InlineData("The answer is 7", 7.0)]
    [InlineData(" -3", -3.0)]
    [InlineData("5-3", 5.0)]
    [InlineData("3+4=7", 3.0)]
    [InlineData("7.5", 7.5)]
    [InlineData("007", 7.0)]
    public void TheFirstNumberIsTheAnswer(string completion, double expected)
    {
        Assert.Equal((decimal)expected, ArithmeticAnswer.FirstNumber(completion));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" seven")]
    [InlineData(" -")]
    [InlineData("99999999999999999999999999999999999")]
    public void NoUsableNumberIsNoAnswer(string completion)
    {
        Assert.Null(ArithmeticAnswer.FirstNumber(completion));
    }

    [Theory]
    [InlineData(" 7", 1)]
    [InlineData(" 7.", 1)]
    [InlineData("7 apples", 1)]
    [InlineData(" 7.0", 1)]
    [InlineData(" 7.5", 0)]
    [InlineData(" 6", 0)]
    [InlineData(" -7", 0)]
    [InlineData(" 77", 0)]
    [InlineData(" 3 + 4 = 7", 0)]
    [InlineData(" seven", 0)]
    [InlineData("", 0)]
    public void RewardIsOneExactlyWhenTheFirstNumberIsCorrect(string completion, double expected)
    {
        var reward = new ArithmeticAnswerReward();
        Assert.Equal(expected, reward.Score([new RewardInput(Prompt, completion)]).Single());
    }

    [Fact]
    public void AForeignPromptIsAnErrorNotAZero()
    {
        var reward = new ArithmeticAnswerReward();
        var error = Assert.Throws<ArgumentException>(() => reward.Score([new RewardInput(Prompt, " 7"), new RewardInput("What is 3 + 4?", " 7")]));
        Assert.Contains("batch element 1: not an arithmetic task prompt: \"What is 3 + 4?\"", error.Message);
    }

    [Fact]
    public void NegativeAnswersCanBeMatched()
    {
        Assert.True(ArithmeticAnswer.IsCorrect("The result is -4.", -4));
        Assert.Equal(" -4", ArithmeticAnswer.Format(-4));
    }
}
