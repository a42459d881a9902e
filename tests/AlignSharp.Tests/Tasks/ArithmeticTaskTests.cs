using System.Text.RegularExpressions;
using AlignSharp.Rewards;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class ArithmeticTaskTests
{
    static readonly ArithmeticTask AllOperations = new(new ArithmeticOptions
    {
        MinOperand = 0,
        MaxOperand = 20,
        Operations = [ArithmeticOperation.Add, ArithmeticOperation.Subtract, ArithmeticOperation.Multiply],
    });

    /// <summary>The answer recomputed independently of the library: the two numbers and the operation's keyword.</summary>
    static long Recompute(string prompt)
    {
        long[] numbers = Regex.Matches(prompt, "[0-9]+").Select(m => long.Parse(m.Value)).ToArray();
        Assert.Equal(2, numbers.Length);
        if (prompt.Contains(" in each.")) return numbers[0] * numbers[1];
        if (prompt.EndsWith(" left?")) return numbers[0] - numbers[1];
        Assert.Contains(" more.", prompt);
        return numbers[0] + numbers[1];
    }

    static double[] Rewards(IBuiltInTask task, IEnumerable<(string Prompt, string Completion)> rows) =>
        task.TrueReward.Score(rows.Select(r => new RewardInput(r.Prompt, r.Completion)).ToArray()).ToArray();

    [Fact]
    public void SameSeedSameDataDifferentSeedDifferentData()
    {
        Assert.Equal(AllOperations.SftDemonstrations(50, 0.3, seed: 7), AllOperations.SftDemonstrations(50, 0.3, seed: 7));
        Assert.Equal(AllOperations.PreferencePairs(50, seed: 7), AllOperations.PreferencePairs(50, seed: 7));
        Assert.Equal(AllOperations.Prompts(50, Split.HeldOut, seed: 7), AllOperations.Prompts(50, Split.HeldOut, seed: 7));
        Assert.NotEqual(AllOperations.SftDemonstrations(50, 0.3, seed: 7), AllOperations.SftDemonstrations(50, 0.3, seed: 8));
        Assert.NotEqual(AllOperations.PreferencePairs(50, seed: 7), AllOperations.PreferencePairs(50, seed: 8));
        Assert.NotEqual(AllOperations.Prompts(50, Split.HeldOut, seed: 7), AllOperations.Prompts(50, Split.HeldOut, seed: 8));
    }

    [Fact]
    public void DataIsPinnedAcrossMachinesAndVersions()
    {
        // Golden rows: if these change, every published experiment's data changed with them.
        var task = new ArithmeticTask();
        Assert.Equal(GoldenSft, task.SftDemonstrations(2, 0.5, seed: 0));
        Assert.Equal(GoldenPair, task.PreferencePairs(1, seed: 0).Single());
        Assert.Equal(GoldenHeldOut, task.Prompts(1, Split.HeldOut, seed: 0).Single());
    }

    static readonly SftExample[] GoldenSft =
    [
        new("Tim has 7 shells and gets 9 more. How many shells does Tim have?", " 16"),
        new("Eva has 2 cups and buys 2 more. How many cups does Eva have?", " 3"),
    ];
    static readonly PreferencePair GoldenPair = new("Tim has 7 cups and finds 6 more. How many cups does Tim have?", " 13", " 15");
    const string GoldenHeldOut = "Ben has 7 apples and buys 8 more. How many apples does Ben have?";

    [Fact]
    public void DemonstrationAnswersAreCorrectByRecomputation()
    {
        foreach (SftExample row in AllOperations.SftDemonstrations(300, 0, seed: 1))
            Assert.Equal(" " + Recompute(row.Prompt), row.Completion);
    }

    [Fact]
    public void GoldAnswerScoresOneAndLowQualityScoresZero()
    {
        IReadOnlyList<SftExample> good = AllOperations.SftDemonstrations(100, 0, seed: 2);
        IReadOnlyList<SftExample> bad = AllOperations.SftDemonstrations(100, 1, seed: 2);
        Assert.All(Rewards(AllOperations, good.Select(r => (r.Prompt, r.Completion))), r => Assert.Equal(1, r));
        Assert.All(Rewards(AllOperations, bad.Select(r => (r.Prompt, r.Completion))), r => Assert.Equal(0, r));
        // Same seed, other share: same prompts, only the answers differ.
        Assert.Equal(good.Select(r => r.Prompt), bad.Select(r => r.Prompt));
        foreach (SftExample row in bad)
        {
            long wrong = long.Parse(row.Completion), right = Recompute(row.Prompt);
            Assert.InRange(Math.Abs(wrong - right), 1, 2);
            Assert.True(wrong >= 0, row.ToString());
        }
    }

    [Theory]
    [InlineData(200, 0.3, 60)]
    [InlineData(10, 0.25, 3)] // 2.5 rounds away from zero
    [InlineData(7, 0.0, 0)]
    [InlineData(7, 1.0, 7)]
    public void LowQualityShareIsExact(int count, double share, int expectedWrong)
    {
        IReadOnlyList<SftExample> rows = AllOperations.SftDemonstrations(count, share, seed: 3);
        Assert.Equal(count, rows.Count);
        Assert.Equal(expectedWrong, Rewards(AllOperations, rows.Select(r => (r.Prompt, r.Completion))).Count(r => r == 0));
    }

    [Fact]
    public void EveryPreferencePairPrefersTheCorrectAnswer()
    {
        IReadOnlyList<PreferencePair> pairs = AllOperations.PreferencePairs(200, seed: 4);
        double[] chosen = Rewards(AllOperations, pairs.Select(p => (p.Prompt, p.Chosen)));
        double[] rejected = Rewards(AllOperations, pairs.Select(p => (p.Prompt, p.Rejected)));
        for (int i = 0; i < pairs.Count; i++)
        {
            Assert.True(chosen[i] > rejected[i], pairs[i].ToString());
            Assert.Equal(" " + Recompute(pairs[i].Prompt), pairs[i].Chosen);
        }
    }

    [Fact]
    public void TrainAndHeldOutPromptsNeverMeet()
    {
        var train = new HashSet<string>(AllOperations.Prompts(3000, Split.Train, seed: 5));
        train.UnionWith(AllOperations.SftDemonstrations(1000, 0.5, seed: 5).Select(r => r.Prompt));
        train.UnionWith(AllOperations.PreferencePairs(1000, seed: 5).Select(r => r.Prompt));
        IReadOnlyList<string> heldOut = AllOperations.Prompts(1000, Split.HeldOut, seed: 5);
        Assert.DoesNotContain(heldOut, train.Contains);
        Assert.All(heldOut, p => Assert.Equal(Split.HeldOut, PromptSplit.Of(p, 0.2)));
    }

    [Fact]
    public void PromptsParseBackIntoTheSameProblem()
    {
        foreach (string prompt in AllOperations.Prompts(500, Split.Train, seed: 6))
        {
            Assert.True(ArithmeticProblem.TryParse(prompt, out ArithmeticProblem problem), prompt);
            Assert.Equal(prompt, problem.Render());
            Assert.Equal(Recompute(prompt), problem.Answer);
            Assert.True(problem.Answer >= 0, prompt);
        }
    }

    [Fact]
    public void CountOfOneUsesTheSingular()
    {
        var problem = new ArithmeticProblem("Mia", "eggs", "boxes", ArithmeticOperation.Multiply, 1, 1);
        Assert.Equal("Mia has 1 box with 1 egg in each. How many eggs does Mia have?", problem.Render());
        Assert.True(ArithmeticProblem.TryParse(problem.Render(), out ArithmeticProblem parsed));
        Assert.Equal(problem, parsed);
    }

    [Fact]
    public void DefaultsAreSingleDigitAddition()
    {
        var task = new ArithmeticTask();
        foreach (string prompt in task.Prompts(200, Split.Train, seed: 9))
        {
            Assert.True(ArithmeticProblem.TryParse(prompt, out ArithmeticProblem problem));
            Assert.Equal(ArithmeticOperation.Add, problem.Operation);
            Assert.InRange(problem.A, 0, 9);
            Assert.InRange(problem.B, 0, 9);
        }
    }

    [Fact]
    public void BadOptionsAndArgumentsAreClearErrors()
    {
        Assert.Contains("must be ≥ MinOperand (5)", Assert.Throws<ArgumentOutOfRangeException>(() => new ArithmeticTask(new() { MinOperand = 5, MaxOperand = 4 })).Message);
        Assert.Contains("at least one operation", Assert.Throws<ArgumentException>(() => new ArithmeticTask(new() { Operations = [] })).Message);
        Assert.Contains("distinct", Assert.Throws<ArgumentException>(() => new ArithmeticTask(new() { Operations = [ArithmeticOperation.Add, ArithmeticOperation.Add] })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArithmeticTask(new() { HeldOutShare = 1 }));
        var task = new ArithmeticTask();
        Assert.Throws<ArgumentOutOfRangeException>(() => task.SftDemonstrations(10, 1.5, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.PreferencePairs(-1, seed: 0));
    }
}
