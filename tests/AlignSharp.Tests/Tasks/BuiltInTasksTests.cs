using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class BuiltInTasksTests
{
    [Fact]
    public void KnownNamesResolveCaseInsensitively()
    {
        Assert.IsType<ArithmeticTask>(BuiltInTasks.ByName("arithmetic"));
        Assert.IsType<SentimentTask>(BuiltInTasks.ByName("Sentiment"));
        foreach (string name in BuiltInTasks.Names) Assert.Equal(name, BuiltInTasks.ByName(name).Name);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => BuiltInTasks.ByName("frozenlake"));
        Assert.Contains("unknown built-in task \"frozenlake\"; known tasks: arithmetic, sentiment", error.Message);
    }
}
