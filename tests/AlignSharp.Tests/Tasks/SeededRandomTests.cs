using AlignSharp.Tasks;

namespace AlignSharp.Tests.Tasks;

public class SeededRandomTests
{
    [Fact]
    public void MatchesTheSplitMix64ReferenceOutputs()
    {
        // Reference values of SplitMix64 from state 0 (Vigna's splitmix64.c), pinned so data never drifts.
        var random = new SeededRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void BoundedDrawsStayInRangeAndCoverIt()
    {
        var random = new SeededRandom(42);
        var seen = new HashSet<int>();
        for (int i = 0; i < 2000; i++)
        {
            int value = random.NextInt(-3, 3);
            Assert.InRange(value, -3, 3);
            seen.Add(value);
            Assert.InRange(random.NextDouble(), 0.0, 0.9999999999999999);
        }
        Assert.Equal(7, seen.Count);
    }

    [Fact]
    public void StreamsAreReproducibleAndIndependent()
    {
        ulong[] Draw(int seed, string stream)
        {
            SeededRandom random = SeededRandom.ForStream(seed, stream);
            return [random.NextUInt64(), random.NextUInt64()];
        }
        Assert.Equal(Draw(1, "a"), Draw(1, "a"));
        Assert.NotEqual(Draw(1, "a"), Draw(1, "b"));
        Assert.NotEqual(Draw(1, "a"), Draw(2, "a"));
        Assert.NotEqual(Draw(-1, "a"), Draw(1, "a"));
    }
}
