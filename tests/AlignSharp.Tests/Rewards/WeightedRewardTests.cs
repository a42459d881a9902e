using AlignSharp.Rewards;

namespace AlignSharp.Tests.Rewards;

public class WeightedRewardTests
{
    static readonly RewardInput[] Batch = [new("p1", "abc"), new("p2", "de"), new("p3", "")];

    static DelegateReward Constant(string name, params double[] perIndex)
    {
        int call = 0;
        return new DelegateReward(name, _ => perIndex[call++ % perIndex.Length]);
    }

    [Fact]
    public void TotalIsTheHandComputedWeightedSum()
    {
        var length = new DelegateReward("length", input => input.Completion.Length); // 3, 2, 0
        var prompt = new DelegateReward("prompt_digit", input => input.Prompt[1] - '0'); // 1, 2, 3
        var reward = WeightedReward.Of((length, 2.0), (prompt, -0.5));

        IReadOnlyList<double> total = reward.Score(Batch);

        Assert.Equal(new[] { 2 * 3 - 0.5 * 1, 2 * 2 - 0.5 * 2, 2 * 0 - 0.5 * 3 }, total);
    }

    [Fact]
    public void ComponentScoresAreUnweightedAndNamed()
    {
        var length = new DelegateReward("length", input => input.Completion.Length);
        var one = new DelegateReward("one", _ => 1);
        var reward = WeightedReward.Of((length, 0.25), (one, 0));

        WeightedRewardScores scores = reward.ScoreWithComponents(Batch);

        Assert.Equal(new[] { "length", "one" }, scores.Components.Select(c => c.Name));
        Assert.Equal(new[] { 0.25, 0 }, scores.Components.Select(c => c.Weight));
        Assert.Equal(new double[] { 3, 2, 0 }, scores.Components[0].Scores);
        Assert.Equal(new double[] { 1, 1, 1 }, scores.Components[1].Scores);
        Assert.Equal(new[] { 0.75, 0.5, 0 }, scores.Total);
        Assert.Equal("weighted(0.25*length, 0*one)", reward.Name);
    }

    [Fact]
    public void CustomNameIsKept()
    {
        var reward = new WeightedReward([new WeightedRewardComponent(new LengthReward(), 1)], name: "short_is_good");
        Assert.Equal("short_is_good", reward.Name);
    }

    [Fact]
    public void BadWeightsAreClearErrors()
    {
        var a = new DelegateReward("a", _ => 1);
        var b = new DelegateReward("b", _ => 2);
        Assert.Contains("at least one component", Assert.Throws<ArgumentException>(() => new WeightedReward([])).Message);
        Assert.Contains("weight of reward \"a\" is NaN", Assert.Throws<ArgumentException>(() => WeightedReward.Of((a, double.NaN))).Message);
        Assert.Contains("must be finite", Assert.Throws<ArgumentException>(() => WeightedReward.Of((a, 1), (b, double.PositiveInfinity))).Message);
        Assert.Contains("all weights are zero (a, b)", Assert.Throws<ArgumentException>(() => WeightedReward.Of((a, 0), (b, 0))).Message);
        Assert.Contains("reward \"a\" appears twice", Assert.Throws<ArgumentException>(() => WeightedReward.Of((a, 1), (new DelegateReward("a", _ => 3), 1))).Message);
    }

    [Fact]
    public void AComponentThatMisbehavesFailsLoudlyNamingIt()
    {
        var shortOutput = new ShortReward();
        var nan = Constant("nan_at_1", 0, double.NaN, 0);
        var wrongCount = Assert.Throws<InvalidOperationException>(() => WeightedReward.Of((shortOutput, 1)).Score(Batch));
        Assert.Contains("reward \"short\" returned 1 scores for a batch of 3", wrongCount.Message);
        var notFinite = Assert.Throws<InvalidOperationException>(() => WeightedReward.Of((nan, 1)).Score(Batch));
        Assert.Contains("reward \"nan_at_1\" returned NaN for batch element 1", notFinite.Message);
    }

    sealed class ShortReward : IRewardFunction
    {
        public string Name => "short";
        public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> batch) => [0];
    }
}
