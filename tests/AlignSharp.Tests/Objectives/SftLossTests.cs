using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class SftLossTests
{
    public static IEnumerable<object[]> GoldenCases => ObjectiveGoldens.Indices("sft");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossGradientAndMetricsMatchTheGoldens(int index)
    {
        var golden = ObjectiveGoldens.Case("sft", index);
        var normalisation = Enum.Parse<SftNormalisation>(golden.GetProperty("normalisation").GetString()!);
        string what = $"sft[{index}] {normalisation}";
        using var scope = torch.NewDisposeScope();
        var logps = ObjectiveGoldens.Matrix(golden.GetProperty("token_logps"), requiresGrad: true);
        var mask = ObjectiveGoldens.Matrix(golden.GetProperty("mask"));

        using var output = new SftLoss(new SftOptions { Normalisation = normalisation })
            .Compute(logps, mask, ObjectiveGoldens.OptionalDouble(golden, "normaliser"));
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_token_logps"), logps.grad!, $"{what} grad");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Fact]
    public void TokenMeanAndSequenceSumMatchHandComputedValues()
    {
        using var scope = torch.NewDisposeScope();
        // Row 0: three completion tokens (NLL 1 + 2 + 3 = 6); row 1: one (NLL 4) then padding.
        var mask = torch.tensor(new float[,] { { 1, 1, 1 }, { 1, 0, 0 } });

        var tokenLogps = torch.tensor(new float[,] { { -1, -2, -3 }, { -4, 0, 0 } }).requires_grad_(true);
        using var tokenMean = new SftLoss().Compute(tokenLogps, mask);
        tokenMean.Loss.backward();
        Assert.Equal(10.0 / 4.0, tokenMean.Loss.ToDouble(), 6); // 10 NLL over 4 tokens
        Assert.Equal(new float[] { -0.25f, -0.25f, -0.25f, -0.25f, 0, 0 }, tokenLogps.grad!.data<float>().ToArray());

        var sequenceLogps = torch.tensor(new float[,] { { -1, -2, -3 }, { -4, 0, 0 } }).requires_grad_(true);
        using var sequenceSum = new SftLoss(new SftOptions { Normalisation = SftNormalisation.SequenceSum }).Compute(sequenceLogps, mask);
        sequenceSum.Loss.backward();
        Assert.Equal((6.0 + 4.0) / 2.0, sequenceSum.Loss.ToDouble(), 6); // mean of the two sequence NLLs
        Assert.Equal(new float[] { -0.5f, -0.5f, -0.5f, -0.5f, 0, 0 }, sequenceLogps.grad!.data<float>().ToArray());

        // Both report the same per-token NLL and token count, whatever the loss normalisation.
        Assert.Equal(2.5, tokenMean.Metrics[MetricNames.NllPerToken], 6);
        Assert.Equal(2.5, sequenceSum.Metrics[MetricNames.NllPerToken], 6);
        Assert.Equal(4, sequenceSum.Metrics[MetricNames.CompletionTokens]);
    }

    [Fact]
    public void TokenMeanIsTheDefault() => Assert.Equal(SftNormalisation.TokenMean, new SftLoss().Options.Normalisation);

    [Theory]
    [InlineData(SftNormalisation.TokenMean)]
    [InlineData(SftNormalisation.SequenceSum)]
    public void MaskedPositionsAffectNeitherLossNorGradient(SftNormalisation normalisation)
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new bool[,] { { false, true, true }, { true, true, false } });
        var clean = torch.tensor(new double[,] { { -0.5, -1.5, -2.5 }, { -0.7, -0.2, -0.9 } }).requires_grad_(true);
        var garbage = torch.tensor(new double[,] { { double.NegativeInfinity, -1.5, -2.5 }, { -0.7, -0.2, double.NaN } }).requires_grad_(true);
        var sft = new SftLoss(new SftOptions { Normalisation = normalisation });

        using var a = sft.Compute(clean, mask);
        using var b = sft.Compute(garbage, mask);
        a.Loss.backward();
        b.Loss.backward();

        Assert.Equal(a.Loss.ToDouble(), b.Loss.ToDouble());
        Assert.Equal(clean.grad!.data<double>().ToArray(), garbage.grad!.data<double>().ToArray());
        var gradient = garbage.grad!.data<double>().ToArray();
        Assert.Equal(0.0, gradient[0]);
        Assert.Equal(0.0, gradient[5]);
        Assert.All(gradient, g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void AccumulatedMicroBatchesWithTheWholeTokenCountEqualTheFullBatch()
    {
        using var scope = torch.NewDisposeScope();
        var values = new double[,] { { -1, -2, -3, -4 }, { -0.5, -0.25, 0, 0 }, { -2, 0, 0, 0 } };
        var mask = torch.tensor(new double[,] { { 1, 1, 1, 1 }, { 1, 1, 0, 0 }, { 1, 0, 0, 0 } });
        var full = torch.tensor(values).requires_grad_(true);
        var micro = torch.tensor(values).requires_grad_(true);
        var sft = new SftLoss();

        using var whole = sft.Compute(full, mask);
        whole.Loss.backward();

        long tokens = SftLoss.CountCompletionTokens(mask);
        Assert.Equal(7, tokens);
        using var first = sft.Compute(micro.narrow(0, 0, 1), mask.narrow(0, 0, 1), normaliser: tokens);
        using var second = sft.Compute(micro.narrow(0, 1, 2), mask.narrow(0, 1, 2), normaliser: tokens);
        first.Loss.backward();
        second.Loss.backward();

        Assert.Equal(whole.Metrics[MetricNames.Loss], first.Metrics[MetricNames.Loss] + second.Metrics[MetricNames.Loss], 12);
        var expected = full.grad!.data<double>().ToArray();
        var actual = micro.grad!.data<double>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void ABatchWithoutCompletionTokensFailsLoudlyUnlessANormaliserIsGiven()
    {
        using var scope = torch.NewDisposeScope();
        var logps = torch.tensor(new float[,] { { -1, -2 } });
        var mask = torch.zeros(1, 2);
        var error = Assert.Throws<ArgumentException>(() => new SftLoss().Compute(logps, mask));
        Assert.Contains("no token", error.Message);
        using var output = new SftLoss().Compute(logps, mask, normaliser: 10);
        Assert.Equal(0.0, output.Loss.ToDouble());
    }

    [Fact]
    public void MismatchedShapesAreNamedInTheError()
    {
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new SftLoss().Compute(torch.zeros(2, 3), torch.ones(2, 4)));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[2, 4]", error.Message);
    }

    [Fact]
    public void HalfPrecisionInputsGiveAFloat32Loss()
    {
        using var scope = torch.NewDisposeScope();
        var logps = torch.tensor(new float[,] { { -1, -2 } }).to_type(ScalarType.BFloat16);
        using var output = new SftLoss().Compute(logps, torch.ones(1, 2));
        Assert.Equal(ScalarType.Float32, output.Loss.dtype);
        Assert.Equal(1.5, output.Loss.ToDouble(), 6);
    }

    [Fact]
    public void OnlyTheLossLeavesTheComputation()
    {
        using var outer = torch.NewDisposeScope();
        var logps = torch.tensor(new float[,] { { -1, -2, -3 }, { -4, -5, -6 } }).requires_grad_(true);
        var mask = torch.tensor(new float[,] { { 0, 1, 1 }, { 1, 1, 0 } });
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        int ownedBefore = outer.DisposablesCount;

        var output = new SftLoss().Compute(logps, mask);
        Assert.Equal(ownedBefore + 1, outer.DisposablesCount);
        Assert.Equal(liveBefore + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        output.Dispose();
        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
