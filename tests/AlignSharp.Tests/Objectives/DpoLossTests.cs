using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class DpoLossTests
{
    public static IEnumerable<object[]> GoldenCases => ObjectiveGoldens.Indices("dpo");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossGradientsAndMetricsMatchTheGoldens(int index)
    {
        var golden = ObjectiveGoldens.Case("dpo", index);
        var options = new DpoOptions
        {
            Beta = golden.GetProperty("beta").GetDouble(),
            LossType = DpoLossTypes.Parse(golden.GetProperty("loss_type").GetString()!),
            LabelSmoothing = golden.GetProperty("label_smoothing").GetDouble(),
            IpoLogProbScale = golden.GetProperty("ipo_scale").GetString() is { } scale
                ? Enum.Parse<IpoLogProbScale>(scale)
                : IpoLogProbScale.TokenMean,
        };
        string what = $"dpo[{index}] {options}";
        using var scope = torch.NewDisposeScope();
        var policyChosen = ObjectiveGoldens.Vector(golden.GetProperty("policy_chosen"), requiresGrad: true);
        var policyRejected = ObjectiveGoldens.Vector(golden.GetProperty("policy_rejected"), requiresGrad: true);

        using var output = new DpoLoss(options).Compute(
            policyChosen,
            policyRejected,
            ObjectiveGoldens.Vector(golden.GetProperty("reference_chosen")),
            ObjectiveGoldens.Vector(golden.GetProperty("reference_rejected")),
            chosenTokenCounts: ObjectiveGoldens.Vector(golden.GetProperty("chosen_token_counts")),
            rejectedTokenCounts: ObjectiveGoldens.Vector(golden.GetProperty("rejected_token_counts")),
            pairNormaliser: ObjectiveGoldens.OptionalDouble(golden, "normaliser"));
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_policy_chosen"), policyChosen.grad!, $"{what} grad chosen");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_policy_rejected"), policyRejected.grad!, $"{what} grad rejected");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Theory]
    [InlineData(0.01, 0.0)]
    [InlineData(0.1, 0.0)]
    [InlineData(0.5, 0.2)]
    [InlineData(5.0, 0.4)]
    public void PolicyEqualToReferenceGivesLogTwoAndZeroMargins(double beta, double labelSmoothing)
    {
        using var scope = torch.NewDisposeScope();
        var chosen = torch.tensor(new[] { -12.5, -3.0, -40.0 });
        var rejected = torch.tensor(new[] { -7.0, -9.5, -1.0 });
        using var output = new DpoLoss(new DpoOptions { Beta = beta, LabelSmoothing = labelSmoothing })
            .Compute(chosen, rejected, chosen.clone(), rejected.clone());

        Assert.Equal(Math.Log(2), output.Loss.ToDouble(), 12);
        Assert.Equal(0.0, output.Metrics[MetricNames.RewardsMargins]);
        Assert.Equal(0.0, output.Metrics[MetricNames.RewardsChosen]);
        Assert.Equal(0.0, output.Metrics[MetricNames.RewardsAccuracies]);
    }

    [Fact]
    public void NoLabelSmoothingIsThePlainSigmoidForm()
    {
        using var scope = torch.NewDisposeScope();
        var policyChosen = torch.tensor(new[] { -10.0, -20.0, -5.0, -8.0 });
        var policyRejected = torch.tensor(new[] { -11.0, -18.0, -9.0, -8.5 });
        var referenceChosen = torch.tensor(new[] { -10.5, -19.0, -6.0, -7.0 });
        var referenceRejected = torch.tensor(new[] { -10.0, -19.5, -8.0, -9.0 });
        const double beta = 0.3;

        using var output = new DpoLoss(new DpoOptions { Beta = beta, LabelSmoothing = 0 })
            .Compute(policyChosen, policyRejected, referenceChosen, referenceRejected);

        var h = (policyChosen - referenceChosen) - (policyRejected - referenceRejected);
        double expected = torch.nn.functional.logsigmoid(h * beta).neg().mean().ToDouble();
        Assert.Equal(expected, output.Loss.ToDouble(), 12);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void IpoAtTheReferenceIsTheSquaredTarget(double beta)
    {
        using var scope = torch.NewDisposeScope();
        var chosen = torch.tensor(new[] { -12.5, -3.0 });
        var rejected = torch.tensor(new[] { -7.0, -9.5 });
        var counts = torch.tensor(new[] { 5.0, 2.0 });
        using var output = new DpoLoss(new DpoOptions { Beta = beta, LossType = DpoLossType.Ipo })
            .Compute(chosen, rejected, chosen.clone(), rejected.clone(), counts, counts);
        double target = 1 / (2 * beta);
        Assert.Equal(target * target, output.Loss.ToDouble(), 9);
    }

    [Fact]
    public void TheReferenceReceivesNoGradient()
    {
        using var scope = torch.NewDisposeScope();
        var policyChosen = torch.tensor(new[] { -10.0, -20.0 }).requires_grad_(true);
        var referenceChosen = torch.tensor(new[] { -10.5, -19.0 }).requires_grad_(true);
        using var output = new DpoLoss().Compute(policyChosen, torch.tensor(new[] { -11.0, -18.0 }), referenceChosen, torch.tensor(new[] { -10.0, -19.5 }));
        output.Loss.backward();
        Assert.NotNull(policyChosen.grad);
        Assert.Null(referenceChosen.grad);
    }

    [Fact]
    public void TokenMeanIpoWithoutTokenCountsSaysWhatIsMissing()
    {
        using var scope = torch.NewDisposeScope();
        var logps = torch.tensor(new[] { -1.0, -2.0 });
        var ipo = new DpoLoss(new DpoOptions { LossType = DpoLossType.Ipo });
        Assert.True(ipo.NeedsTokenCounts);
        var error = Assert.Throws<ArgumentException>(() => ipo.Compute(logps, logps, logps, logps));
        Assert.Contains("chosenTokenCounts", error.Message);

        var summed = new DpoLoss(new DpoOptions { LossType = DpoLossType.Ipo, IpoLogProbScale = IpoLogProbScale.Sum });
        Assert.False(summed.NeedsTokenCounts);
        using var output = summed.Compute(logps, logps, logps, logps);
        Assert.Equal(25.0, output.Loss.ToDouble(), 9); // (0 − 1/(2·0.1))²
    }

    [Fact]
    public void OptionsWithoutMeaningAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpoLoss(new DpoOptions { Beta = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpoLoss(new DpoOptions { LabelSmoothing = 0.5 }));
        var error = Assert.Throws<ArgumentException>(() => new DpoLoss(new DpoOptions { LossType = DpoLossType.Ipo, LabelSmoothing = 0.1 }));
        Assert.Contains("ipo", error.Message);
    }

    [Fact]
    public void UnknownLossTypeNamesListTheKnownOnes()
    {
        Assert.Equal(DpoLossType.Ipo, DpoLossTypes.Parse("ipo"));
        Assert.Equal("sigmoid", DpoLossType.Sigmoid.ToName());
        var error = Assert.Throws<ArgumentException>(() => DpoLossTypes.Parse("hinge"));
        Assert.Contains("hinge", error.Message);
        Assert.Contains("sigmoid, ipo", error.Message);
    }

    [Fact]
    public void Float32InputsKeepAFloat32Loss()
    {
        using var scope = torch.NewDisposeScope();
        var logps = torch.tensor(new float[] { -1, -2 });
        using var output = new DpoLoss().Compute(logps, logps, logps, logps);
        Assert.Equal(ScalarType.Float32, output.Loss.dtype);
        Assert.Equal(Math.Log(2), output.Loss.ToDouble(), 6);
    }

    [Fact]
    public void OnlyTheLossLeavesTheComputation()
    {
        using var outer = torch.NewDisposeScope();
        var policyChosen = torch.tensor(new[] { -10.0, -20.0 }).requires_grad_(true);
        var others = torch.tensor(new[] { -11.0, -18.0 });
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        int ownedBefore = outer.DisposablesCount;

        var output = new DpoLoss(new DpoOptions { LabelSmoothing = 0.1 }).Compute(policyChosen, others, others, others);
        Assert.Equal(ownedBefore + 1, outer.DisposablesCount);
        Assert.Equal(liveBefore + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        output.Dispose();
        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
