using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class IftLossTests
{
    public static IEnumerable<object[]> GoldenCases => IftOrpoGoldens.Indices("ift");
    public static IEnumerable<object[]> MixingCases => IftOrpoGoldens.Indices("ift_mixing");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void WeightsLossGradientAndMetricsMatchTheGoldens(int index)
    {
        var golden = IftOrpoGoldens.Case("ift", index);
        var options = new IftOptions
        {
            Gamma = golden.GetProperty("gamma").GetDouble(),
            DetachWeights = golden.GetProperty("detach_weights").GetBoolean(),
            Normalisation = Enum.Parse<IftNormalisation>(golden.GetProperty("normalisation").GetString()!),
        };
        string what = $"ift[{index}] {options}";
        using var scope = torch.NewDisposeScope();
        var logps = ObjectiveGoldens.Matrix(golden.GetProperty("token_logps"), requiresGrad: true);
        var mask = ObjectiveGoldens.Matrix(golden.GetProperty("mask"));

        ObjectiveGoldens.AssertClose(golden.GetProperty("weights"), IftLoss.Weights(logps, mask, options.Gamma, options.DetachWeights), $"{what} weights");
        using var output = new IftLoss(options).Compute(logps, mask);
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_token_logps"), logps.grad!, $"{what} grad");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Theory]
    [MemberData(nameof(MixingCases))]
    public void PredictedInputsAndMixedEmbeddingsMatchTheGoldens(int index)
    {
        var golden = IftOrpoGoldens.Case("ift_mixing", index);
        double lambda = golden.GetProperty("lambda").GetDouble();
        using var scope = torch.NewDisposeScope();
        var ids = ObjectiveGoldens.Matrix(golden.GetProperty("input_ids")).to_type(ScalarType.Int64);
        var lossMask = ObjectiveGoldens.Matrix(golden.GetProperty("loss_mask")).ne(0);
        var rows = golden.GetProperty("logits").EnumerateArray().Select(r => ObjectiveGoldens.Matrix(r)).ToArray();
        var logits = torch.stack(rows, 0);
        var table = ObjectiveGoldens.Matrix(golden.GetProperty("table"));

        var predicted = IftInputs.PredictedInputIds(ids, logits.argmax(-1), lossMask);
        ObjectiveGoldens.AssertClose(golden.GetProperty("predicted_ids"), predicted, $"mixing[{index}] ids");
        var mixed = IftInputs.Mix(table.index_select(0, ids.reshape(-1)), table.index_select(0, predicted.reshape(-1)), lambda);
        double[] want = golden.GetProperty("embeddings").EnumerateArray()
            .SelectMany(r => r.EnumerateArray()).SelectMany(ObjectiveGoldens.Doubles).ToArray();
        double[] got = mixed.contiguous().data<double>().ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) ObjectiveGoldens.AssertClose(want[i], got[i], $"mixing[{index}] embeddings[{i}]");
    }

    [Fact]
    public void GammaZeroIsExactlySftsTokenMeanLossAndGradient()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new float[,] { { 0, 1, 1, 1 }, { 1, 1, 0, 0 } });
        var values = torch.tensor(new float[,] { { -9, -0.5f, -1.25f, -2 }, { -3, -0.125f, -7, -7 } });
        var forIft = values.clone().requires_grad_(true);
        var forSft = values.clone().requires_grad_(true);

        using var ift = new IftLoss(new IftOptions { Gamma = 0, Normalisation = IftNormalisation.TokenMean }).Compute(forIft, mask);
        using var sft = new SftLoss().Compute(forSft, mask);
        ift.Loss.backward();
        sft.Loss.backward();

        Assert.Equal(sft.Loss.ToSingle(), ift.Loss.ToSingle()); // bit for bit, not within a tolerance
        Assert.True(forSft.grad!.equal(forIft.grad!).all().item<bool>());
    }

    [Fact]
    public void GammaZeroSequenceMeanIsTheMeanOfPerSequenceSftMeans()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new double[,] { { 0, 1, 1, 1 }, { 1, 1, 0, 0 } });
        var logps = torch.tensor(new double[,] { { -9, -0.5, -1.25, -2 }, { -3, -0.125, -7, -7 } });
        using var ift = new IftLoss(new IftOptions { Gamma = 0 }).Compute(logps, mask);
        // (0.5 + 1.25 + 2) / 3 and (3 + 0.125) / 2, averaged.
        Assert.Equal((3.75 / 3 + 3.125 / 2) / 2, ift.Loss.ToDouble(), 12);
    }

    [Fact]
    public void WeightsAverageOneAndDecreaseWhenTokenLossesAreEqual()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new double[,] { { 0, 1, 1, 1, 1 } });
        var logps = torch.full(1, 5, -1.0, dtype: ScalarType.Float64);
        var w = IftLoss.Weights(logps, mask, 0.95, detach: true);
        // Future sums of equal losses: 1 + γ + γ² + γ³, ..., 1; renormalised to mean 1.
        double g = 0.95;
        double[] raw = [1 + g + g * g + g * g * g, 1 + g + g * g, 1 + g, 1];
        double mean = raw.Average();
        var got = w.data<double>().ToArray();
        Assert.Equal(0, got[0]);
        for (int i = 0; i < 4; i++) Assert.Equal(raw[i] / mean, got[i + 1], 12);
    }

    [Fact]
    public void DetachingTheWeightsChangesTheGradientButNotTheLoss()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.tensor(new double[,] { { 1, 1, 1 } });
        var a = torch.tensor(new double[,] { { -0.3, -2, -1 } }).requires_grad_(true);
        var b = torch.tensor(new double[,] { { -0.3, -2, -1 } }).requires_grad_(true);
        using var through = new IftLoss(new IftOptions()).Compute(a, mask);
        using var detached = new IftLoss(new IftOptions { DetachWeights = true }).Compute(b, mask);
        through.Loss.backward();
        detached.Loss.backward();
        Assert.Equal(through.Loss.ToDouble(), detached.Loss.ToDouble(), 12);
        Assert.False(torch.allclose(a.grad!, b.grad!));
        // Detached: the gradient is −w_t/|M| exactly.
        var w = IftLoss.Weights(b.detach(), mask, 0.95, detach: true);
        Assert.True(torch.allclose(b.grad!, w.neg().div(3)));
    }

    [Fact]
    public void LambdaZeroMixReturnsTheGoldEmbeddingsUnchanged()
    {
        using var scope = torch.NewDisposeScope();
        var gold = torch.randn(2, 3, 4);
        var predicted = torch.randn(2, 3, 4);
        Assert.True(gold.equal(IftInputs.Mix(gold, predicted, 0)).all().item<bool>());
        Assert.True(predicted.equal(IftInputs.Mix(gold, predicted, 1)).all().item<bool>());
    }

    [Fact]
    public void LambdaScheduleRampsLinearlyThenHolds()
    {
        var schedule = new IftLambdaSchedule { Min = 0, Max = 0.2, WarmupSteps = 4 };
        Assert.Equal([0, 0.05, 0.1, 0.15, 0.2, 0.2], Enumerable.Range(0, 6).Select(s => Math.Round(schedule.At(s), 12)));
        Assert.Equal(0.2, new IftLambdaSchedule().At(0));
    }

    [Fact]
    public void BadInputsFailClearly()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => new IftLoss(new IftOptions { Gamma = 1.5 }));
        var ex = Assert.Throws<ArgumentException>(() => new IftLoss().Compute(torch.zeros(2, 3), torch.tensor(new float[,] { { 1, 1, 0 }, { 0, 0, 0 } })));
        Assert.Contains("no completion token", ex.Message);
    }
}
