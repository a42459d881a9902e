using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class SentimentTaskTests
{
    static readonly SentimentTask Task = new();

    static double[] Rewards(IEnumerable<(string Prompt, string Completion)> rows) =>
        Task.TrueReward.Score(rows.Select(r => new RewardInput(r.Prompt, r.Completion)).ToArray()).ToArray();

    [Fact]
    public void SameSeedSameDataDifferentSeedDifferentData()
    {
        Assert.Equal(Task.SftDemonstrations(50, 0.3, seed: 7), new SentimentTask().SftDemonstrations(50, 0.3, seed: 7));
        Assert.Equal(Task.PreferencePairs(50, seed: 7), Task.PreferencePairs(50, seed: 7));
        Assert.Equal(Task.Prompts(50, Split.Train, seed: 7), Task.Prompts(50, Split.Train, seed: 7));
        Assert.NotEqual(Task.SftDemonstrations(50, 0.3, seed: 7), Task.SftDemonstrations(50, 0.3, seed: 8));
        Assert.NotEqual(Task.PreferencePairs(50, seed: 7), Task.PreferencePairs(50, seed: 8));
        Assert.NotEqual(Task.Prompts(50, Split.Train, seed: 7), Task.Prompts(50, Split.Train, seed: 8));
    }

    [Fact]
    public void DataIsPinnedAcrossMachinesAndVersions()
    {
        Assert.Equal(GoldenSft, Task.SftDemonstrations(2, 0.5, seed: 0));
        Assert.Equal(GoldenPair, Task.PreferencePairs(1, seed: 0).Single());
        Assert.Equal(GoldenHeldOut, Task.Prompts(1, Split.HeldOut, seed: 0).Single());
    }

    static readonly SftExample[] GoldenSft =
    [
        new("I watched it last night. The cast was", " dull and weak."),
        new("I went there for lunch. The staff was", " pleasant and amazing."),
    ];
    static readonly PreferencePair GoldenPair = new("We got it on sale. The chair is", " brilliant and new.", " superb but annoying.");
    const string GoldenHeldOut = "I got it as a gift. The lamp is";

    [Fact]
    public void TrainAndHeldOutPromptsNeverMeet()
    {
        var train = new HashSet<string>(Task.Prompts(5000, Split.Train, seed: 1));
        train.UnionWith(Task.SftDemonstrations(1000, 0.5, seed: 1).Select(r => r.Prompt));
        train.UnionWith(Task.PreferencePairs(1000, seed: 1).Select(r => r.Prompt));
        var heldOut = new HashSet<string>(Task.Prompts(5000, Split.HeldOut, seed: 1));
        Assert.Empty(heldOut.Intersect(train));
        Assert.Equal(180, train.Count + heldOut.Count); // 5000 draws reach every prompt of both pools
        Assert.InRange(heldOut.Count, 18, 60); // about a fifth
    }

    [Theory]
    [InlineData(100, 0.3, 30)]
    [InlineData(10, 0.05, 1)] // 0.5 rounds away from zero
    [InlineData(9, 0.0, 0)]
    public void LowQualityShareIsExactAndOnlyTheCompletionsChange(int count, double share, int expectedNegative)
    {
        IReadOnlyList<SftExample> rows = Task.SftDemonstrations(count, share, seed: 2);
        double[] rewards = Rewards(rows.Select(r => (r.Prompt, r.Completion)));
        Assert.Equal(expectedNegative, rewards.Count(r => r < 0));
        Assert.All(rewards, r => Assert.Equal(2.0 / 3, Math.Abs(r), 12)); // two sentiment words of three
        Assert.Equal(Task.SftDemonstrations(count, 1, seed: 2).Select(r => r.Prompt), rows.Select(r => r.Prompt));
    }

    [Fact]
    public void EveryPreferencePairIsRankedByTheTrueRewardAndAllLevelsAppear()
    {
        IReadOnlyList<PreferencePair> pairs = Task.PreferencePairs(300, seed: 3);
        double[] chosen = Rewards(pairs.Select(p => (p.Prompt, p.Chosen)));
        double[] rejected = Rewards(pairs.Select(p => (p.Prompt, p.Rejected)));
        for (int i = 0; i < pairs.Count; i++) Assert.True(chosen[i] > rejected[i], pairs[i].ToString());
        int[] levels = chosen.Concat(rejected).Select(r => (int)Math.Round(r * 3)).Distinct().Order().ToArray();
        Assert.Equal(new[] { -2, -1, 0, 1, 2 }, levels);
    }

    [Fact]
    public void PromptsCarryNoSentimentOfTheirOwn()
    {
        var reward = (LexiconSentimentReward)Task.TrueReward;
        foreach (string prompt in Task.Prompts(500, Split.Train, seed: 4).Concat(Task.Prompts(200, Split.HeldOut, seed: 4)))
        {
            SentimentCounts counts = reward.Analyze(prompt);
            Assert.True(counts.Positive == 0 && counts.Negative == 0, prompt);
        }
    }

    [Fact]
    public void SuccessMeansPositive()
    {
        Assert.True(Task.IsSuccess(1.0 / 3));
        Assert.False(Task.IsSuccess(0));
        Assert.False(Task.IsSuccess(-2.0 / 3));
    }
}
