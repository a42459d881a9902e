using AlignSharp.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Training;

public class LeanAdamWTests
{
    const double Lr = 1e-2, Beta1 = 0.9, Beta2 = 0.95, Eps = 1e-6;

    /// <summary>Textbook AdamW (Loshchilov &amp; Hutter, PyTorch's form) in doubles, one scalar parameter at a time.</summary>
    static double[] Reference(double[] start, double[][] gradients, double weightDecay)
    {
        var p = (double[])start.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= gradients.Length; t++)
            for (int i = 0; i < p.Length; i++)
            {
                double g = gradients[t - 1][i];
                p[i] *= 1 - Lr * weightDecay;
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Beta1, t)), vHat = v[i] / (1 - Math.Pow(Beta2, t));
                p[i] -= Lr * mHat / (Math.Sqrt(vHat) + Eps);
            }
        return p;
    }

    static double[] Run(Func<Parameter, optim.Optimizer> create, double[] start, double[][] gradients)
    {
        using var parameter = new Parameter(tensor(start.Select(x => (float)x).ToArray()));
        using var optimizer = create(parameter);
        foreach (double[] g in gradients)
        {
            parameter.grad = tensor(g.Select(x => (float)x).ToArray());
            optimizer.step();
        }
        return parameter.data<float>().Select(x => (double)x).ToArray();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void FollowsTextbookAdamWAndTorchSharpsAdamW(double weightDecay)
    {
        var random = new Random(7);
        // Gradients of mixed scale and sign, some tiny (where ε matters) and some zero.
        double[] start = Enumerable.Range(0, 64).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[][] gradients = Enumerable.Range(0, 12)
            .Select(_ => start.Select((_, i) => i % 16 == 0 ? 0.0 : (random.NextDouble() * 2 - 1) * Math.Pow(10, -(i % 7))).ToArray())
            .ToArray();

        double[] expected = Reference(start, gradients, weightDecay);
        double[] lean = Run(p => new LeanAdamW([new AdamW.ParamGroup([p], Lr, Beta1, Beta2, Eps, weightDecay)], Lr, Beta1, Beta2, Eps, weightDecay), start, gradients);
        double[] torchSharp = Run(p => optim.AdamW([p], Lr, Beta1, Beta2, Eps, weightDecay), start, gradients);

        for (int i = 0; i < start.Length; i++)
        {
            // Coordinates with no gradient move by weight decay alone: not at all without it.
            if (weightDecay == 0 && gradients.All(g => g[i] == 0)) Assert.Equal((float)start[i], (float)lean[i]);
            else Assert.NotEqual(start[i], lean[i], 6);
            Assert.True(Math.Abs(expected[i] - lean[i]) <= 2e-6, $"[{i}] textbook {expected[i]} vs lean {lean[i]}");
            Assert.True(Math.Abs(torchSharp[i] - lean[i]) <= 2e-6, $"[{i}] TorchSharp {torchSharp[i]} vs lean {lean[i]}");
        }
    }

    [Fact]
    public void RefusesTheVariantsItDoesNotImplement()
    {
        using var parameter = new Parameter(ones(2));
        parameter.grad = ones(2);
        using var optimizer = new LeanAdamW([new AdamW.ParamGroup([parameter], Lr, amsgrad: true)], Lr, Beta1, Beta2, Eps, 0);
        Assert.Throws<NotSupportedException>(() => optimizer.step());
    }
}
