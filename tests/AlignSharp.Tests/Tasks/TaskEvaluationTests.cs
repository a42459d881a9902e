using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class TaskEvaluationTests
{
    [Fact]
    public void ArithmeticReportsMeanRewardAndAccuracy()
    {
        const string prompt = "Ann has 2 pens and finds 5 more. How many pens does Ann have?";
        TaskEvaluation evaluation = new ArithmeticTask().Evaluate(
            [new(prompt, " 7"), new(prompt, " 7."), new(prompt, " 8"), new(prompt, " 7 pens")]);
        Assert.Equal(new TaskEvaluation("arithmetic", 4, 0.75, 0.75, null), evaluation);
        Assert.Equal(0.05, (evaluation with { KlToReference = 0.05 }).KlToReference);
    }

    [Fact]
    public void SentimentAccuracyCountsPositiveRewards()
    {
        const string prompt = "I saw it twice. The plot was";
        TaskEvaluation evaluation = new SentimentTask().Evaluate(
            [new(prompt, " great and superb."), new(prompt, " good but dull."), new(prompt, " long and boring.")]);
        Assert.Equal(3, evaluation.Count);
        Assert.Equal((2.0 / 3 + 0 - 1.0 / 3) / 3, evaluation.MeanReward, 12);
        Assert.Equal(1.0 / 3, evaluation.Accuracy, 12);
        Assert.Null(evaluation.KlToReference);
    }

    [Fact]
    public void NothingToEvaluateIsAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => new SentimentTask().Evaluate([]));
        Assert.Contains("nothing to evaluate", error.Message);
    }
}
