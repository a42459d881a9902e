using AlignSharp.Modeling;
using AlignSharp.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Recipes;

public sealed class ALoLValueHeadTests
{
    // Prompts of lengths 3, 5 and 2 over a hidden size of 8, right-padded to `time` with garbage after each prompt.
    private static ALoLPromptFeatures Features(int time, double garbage)
    {
        var generator = new torch.Generator(7);
        int[] lengths = [3, 5, 2, 4];
        var real = torch.randn([lengths.Length, 5, 8], generator: generator);
        var hidden = torch.full([lengths.Length, time, 8], garbage);
        hidden[.., ..5, ..] = real;
        var mask = torch.zeros([lengths.Length, time], dtype: ScalarType.Bool);
        for (int b = 0; b < lengths.Length; b++)
        {
            mask[b, ..lengths[b]] = true;
            hidden[b, lengths[b].., ..] = garbage;
        }
        return ALoLPromptFeatures.FromTensors(hidden, mask);
    }

    [Fact]
    public void PaddingChangesNeitherTheValueNorTheFit()
    {
        using var scope = torch.NewDisposeScope();
        using var tight = Features(5, garbage: 0);
        using var padded = Features(9, garbage: 1e4);
        double[] rewards = [0.2, 0.9, 0.5, 0.1];
        var options = new ALoLValueFitOptions { Epochs = 15, BatchSize = 2, Heads = 2, LearningRate = 1e-2 };

        using var head = new ValueHead(8, 2, 0, 1, seed: 5);
        Assert.Equal(ALoLValueFit.Predict(head, tight), ALoLValueFit.Predict(head, padded), new ToleranceComparer(1e-6));

        var (a, mseA) = ALoLValueFit.Fit(tight, rewards, options);
        var (b, mseB) = ALoLValueFit.Fit(padded, rewards, options);
        using (a)
        using (b)
        {
            Assert.Equal(mseA, mseB, new ToleranceComparer(1e-6));
            Assert.Equal(ALoLValueFit.Predict(a, tight), ALoLValueFit.Predict(b, padded), new ToleranceComparer(1e-6));
        }
    }

    [Fact]
    public void TheFitLearnsRewardsAndKeepsTheBestEpoch()
    {
        using var scope = torch.NewDisposeScope();
        using var features = Features(6, garbage: -3);
        double[] rewards = [0.2, 0.9, 0.5, 0.1];
        var (head, mse) = ALoLValueFit.Fit(features, rewards, new ALoLValueFitOptions { Epochs = 300, BatchSize = 4, LearningRate = 1e-2 });
        using (head)
        {
            double[] predicted = ALoLValueFit.Predict(head, features);
            double final = predicted.Zip(rewards, (p, r) => (p - r) * (p - r)).Average();
            Assert.Equal(mse.Min(), final, 5); // the kept head is the best epoch's
            Assert.True(final < 0.01, $"MSE {final} after 300 epochs; per epoch {mse[0]} → {mse[^1]}");
            Assert.All(predicted, v => Assert.InRange(v, 0, 1)); // σ(·)·max_value keeps V in the reward range
        }
    }

    [Fact]
    public void HeadsMustDivideTheHiddenSize()
    {
        Assert.Throws<ArgumentException>(() => new ValueHead(10, 3, 0, 1, seed: 1));
        Assert.Throws<ArgumentException>(() => new ValueHead(8, 2, 1, 1, seed: 1));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
