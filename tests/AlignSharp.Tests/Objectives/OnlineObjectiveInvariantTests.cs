using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

/// <summary>Properties of the online-RL objectives that hold for any input, checked on deterministic random batches.</summary>
public class OnlineObjectiveInvariantTests
{
    private const int Rows = 8, Width = 6, MaxCompletionLength = 8;

    // Rows 0–3 and 4–7 have 14 trained tokens each (the equal-token split); rows 0–2 vs 3–7 have 12 vs 16.
    private static readonly bool[,] MaskValues =
    {
        { true, true, true, true, true, true },
        { true, true, true, false, false, false },
        { true, true, true, false, false, false },
        { true, true, false, false, false, false },
        { true, true, true, true, true, false },
        { false, false, false, false, false, false },
        { true, true, true, true, true, true },
        { true, true, true, false, false, false },
    };

    private static Tensor Uniform(Random random, double low, double high, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = low + (high - low) * random.NextDouble();
        return torch.tensor(values, dtype: ScalarType.Float64).reshape(shape);
    }

    /// <summary>Policy, old (ratios in [0.61, 1.65]: both clip sides bite), reference, mask, and mixed-sign advantages.</summary>
    private static (Tensor Policy, Tensor Old, Tensor Reference, Tensor Mask, Tensor Advantages) Batch(int seed = 7)
    {
        var random = new Random(seed);
        var policy = Uniform(random, -3.5, -0.05, Rows, Width);
        var old = policy - Uniform(random, -0.5, 0.5, Rows, Width);
        var reference = policy + Uniform(random, -0.6, 0.6, Rows, Width);
        var advantages = Uniform(random, -1.5, 1.5, Rows);
        return (policy, old, reference, torch.tensor(MaskValues), advantages);
    }

    private static PolicyGradientNormaliser Normaliser(Tensor mask, int microBatches) =>
        new(Rows, mask.sum().ToInt64(), microBatches, MaxCompletionLength);

    public static IEnumerable<object[]> LossTypes => Enum.GetValues<GrpoLossType>().Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(LossTypes))]
    public void GrpoWithoutOldLogProbsHasRatioExactlyOneAndClipsNothing(GrpoLossType lossType)
    {
        using var scope = torch.NewDisposeScope();
        var (values, _, _, mask, advantages) = Batch();
        var policy = values.clone().requires_grad_(true);
        // A zero-width clip range: any ratio that is not exactly 1 would be counted as clipped on one side or the other.
        var grpo = new GrpoLoss(new GrpoOptions { LossType = lossType, Epsilon = 0, EpsilonHigh = 0 });
        using var output = grpo.Compute(policy, mask, null, null, advantages, Normaliser(mask, 1));
        output.Loss.backward();

        Assert.Equal(0.0, output.Metrics["clip_ratio/low_mean"]);
        Assert.Equal(0.0, output.Metrics["clip_ratio/high_mean"]);
        Assert.Equal(0.0, output.Metrics["clip_ratio/region_mean"]);

        // With ρ = 1 the per-token loss is −A·ρ, whose gradient is −A·∇log π, then aggregated as the loss type says.
        var x = values.clone().requires_grad_(true);
        var m = mask.to_type(ScalarType.Float64);
        var perToken = -(advantages.reshape(-1, 1) * (x - x.detach()).exp()) * m;
        var expected = lossType switch
        {
            GrpoLossType.Grpo => (perToken.sum(1) / m.sum(1).clamp_min(1)).sum() / Rows,
            GrpoLossType.Bnpo => perToken.sum() / m.sum(),
            GrpoLossType.DrGrpo => perToken.sum() / (Rows * MaxCompletionLength),
            GrpoLossType.Dapo => perToken.sum() / m.sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(lossType)),
        };
        expected.backward();
        Assert.Equal(expected.ToDouble(), output.Loss.ToDouble(), 14);
        Assert.True(torch.allclose(x.grad!, policy.grad!, 1e-14, 1e-15), $"{policy.grad!.ToString()} vs {x.grad!.ToString()}");
    }

    [Theory]
    [InlineData(RewardScaling.Group)]
    [InlineData(RewardScaling.Batch)]
    [InlineData(RewardScaling.None)]
    public void AGroupOfEqualRewardsHasZeroAdvantagesAndNoPolicyGradient(RewardScaling scaling)
    {
        // 0.1 × 4 sums to 0.4000000000000001 in floating point: the mean alone would leave ±1e-17 residues.
        double[] rewards = { 0.9, 0.15, 0.6, 0.3, 0.1, 0.1, 0.1, 0.1 };
        double[] advantages = GroupAdvantages.Compute(rewards, 4, scaling);
        Assert.All(advantages.Skip(4), a => Assert.Equal(0.0, a));
        Assert.All(LeaveOneOutAdvantages.Compute(rewards, 4).Skip(4), a => Assert.Equal(0.0, a));

        foreach (var lossType in Enum.GetValues<GrpoLossType>())
        {
            using var scope = torch.NewDisposeScope();
            var (values, old, _, mask, _) = Batch();
            var policy = values.clone().requires_grad_(true);
            using var output = new GrpoLoss(new GrpoOptions { LossType = lossType, EpsilonHigh = 0.28 })
                .Compute(policy, mask, old, null, torch.tensor(advantages, dtype: ScalarType.Float64), Normaliser(mask, 1));
            output.Loss.backward();
            Assert.True(policy.grad![TensorIndex.Slice(4, 8)].eq(0).all().ToBoolean(), $"{lossType}: {policy.grad!.ToString()}");
            Assert.True(policy.grad![TensorIndex.Slice(0, 4)].ne(0).any().ToBoolean(), $"{lossType}: the other group must still learn");
        }
    }

    [Fact]
    public void RlooWithTwoCompletionsComparesEachWithTheOther()
    {
        var random = new Random(11);
        double[] rewards = Enumerable.Range(0, 10).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        double[] advantages = LeaveOneOutAdvantages.Compute(rewards, 2);
        for (int i = 0; i < rewards.Length; i++)
            Assert.Equal(rewards[i] - rewards[i ^ 1], advantages[i], 14);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void K3PlusHasTheValueOfK3AndTheGradientOfK2(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        // Log-ratios over every clamp region: k3's value clamp (r < −2.49), k2's (|r| > √20), the log-ratio clamp (|r| > 20),
        // and ±800, where e^800 overflows: without the log-ratio clamp the gradient would be NaN.
        var ratios = torch.linspace(-30, 30, 241, dtype: ScalarType.Float64);
        var r = torch.cat(new[] { ratios, torch.tensor(new[] { -800.0, 800.0 }) }).to_type(dtype);
        var reference = torch.full_like(r, -1.25);
        (Tensor Value, Tensor Grad) Run(KlEstimatorKind kind)
        {
            var policy = (reference + r).detach().requires_grad_(true);
            var value = KlEstimator.PerToken(policy, reference, kind);
            value.sum().backward();
            return (value.detach(), policy.grad!);
        }
        var (plusValue, plusGrad) = Run(KlEstimatorKind.K3PlusK2Gradient);
        var (k3Value, _) = Run(KlEstimatorKind.K3);
        var (_, k2Grad) = Run(KlEstimatorKind.K2);

        Assert.True(plusValue.isfinite().all().ToBoolean() && plusGrad.isfinite().all().ToBoolean());
        double tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
        Assert.True(torch.allclose(k3Value, plusValue, tolerance, tolerance), $"values {plusValue.ToString()} vs {k3Value.ToString()}");
        Assert.True(k2Grad.eq(plusGrad).all().ToBoolean(), $"gradients {plusGrad.ToString()} vs {k2Grad.ToString()}");
    }

    public static IEnumerable<object[]> Splits() =>
        from lossType in Enum.GetValues<GrpoLossType>()
        from split in new[] { 4, 3 }
        select new object[] { lossType, split };

    /// <summary>
    /// The loop's contract: micro-batch losses, each normalised by the step's totals, add up to the one-batch loss.
    /// bnpo is a token mean per micro-batch averaged over micro-batches (TRL's definition), so it meets the contract only
    /// when the micro-batches have equal token counts: rows 0–3 | 4–7 have 14 | 14, rows 0–2 | 3–7 have 12 | 16.
    /// </summary>
    [Theory]
    [MemberData(nameof(Splits))]
    public void MicroBatchLossesAddUpToTheOneBatchLoss(GrpoLossType lossType, int split)
    {
        using var scope = torch.NewDisposeScope();
        var (values, old, reference, mask, advantages) = Batch();
        var grpo = new GrpoLoss(new GrpoOptions { LossType = lossType, EpsilonHigh = 0.28, Beta = 0.04 });

        var whole = values.clone().requires_grad_(true);
        using var one = grpo.Compute(whole, mask, old, reference, advantages, Normaliser(mask, 1));
        one.Loss.backward();

        var step = Normaliser(mask, 2);
        double sum = 0;
        var grads = new List<Tensor>();
        foreach (var (start, end) in new[] { (0, split), (split, Rows) })
        {
            var rows = TensorIndex.Slice(start, end);
            var part = values[rows].clone().requires_grad_(true);
            using var micro = grpo.Compute(part, mask[rows], old[rows], reference[rows], advantages[rows], step);
            micro.Loss.backward();
            sum += micro.Loss.ToDouble();
            grads.Add(part.grad!);
        }
        var grad = torch.cat(grads, 0);

        bool equalTokens = mask[TensorIndex.Slice(0, split)].sum().ToInt64() == mask[TensorIndex.Slice(split, Rows)].sum().ToInt64();
        if (lossType == GrpoLossType.Bnpo && !equalTokens)
        {
            Assert.NotEqual(one.Loss.ToDouble(), sum, 6);
            return;
        }
        Assert.Equal(one.Loss.ToDouble(), sum, 14);
        Assert.True(torch.allclose(whole.grad!, grad, 1e-13, 1e-15), $"{lossType}: {whole.grad!.ToString()} vs {grad.ToString()}");
    }
}
