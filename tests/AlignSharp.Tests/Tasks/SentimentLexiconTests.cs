using AlignSharp.Data;
using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class SentimentLexiconTests
{
    [Fact]
    public void TheBuiltInLexiconLoadsWithASeveralHundredWords()
    {
        SentimentLexicon lexicon = SentimentLexicon.BuiltIn();
        Assert.InRange(lexicon.PositiveWords.Count, 150, 1000);
        Assert.InRange(lexicon.NegativeWords.Count, 150, 1000);
        Assert.Empty(lexicon.PositiveWords.Intersect(lexicon.NegativeWords));
        Assert.Equal(1, lexicon.Polarity("Superb"));
        Assert.Equal(-1, lexicon.Polarity("boring"));
        Assert.Equal(0, lexicon.Polarity("long"));
    }

    [Theory]
    [InlineData("good\n", 1, "before any [positive] or [negative] header")]
    [InlineData("[positive]\ngood\n\n# comment\nGood\n", 5, "not a lowercase word")]
    [InlineData("[positive]\ngood\n[negative]\ngood\n", 4, "already listed on line 2")]
    public void BadLexiconFilesNameTheLine(string text, long line, string message)
    {
        var error = Assert.Throws<DataFormatException>(() => SentimentLexicon.Parse(new StringReader(text), "words.txt"));
        Assert.Equal(line, error.Line);
        Assert.Contains($"words.txt:{line}:", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AWordCannotBeBothPositiveAndNegative()
    {
        var error = Assert.Throws<ArgumentException>(() => new SentimentLexicon(["fine", "good"], ["fine"]));
        Assert.Contains("both positive and negative: fine", error.Message);
    }
}
