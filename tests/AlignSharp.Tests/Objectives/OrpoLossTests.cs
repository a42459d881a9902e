using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class OrpoLossTests
{
    public static IEnumerable<object[]> GoldenCases => IftOrpoGoldens.Indices("orpo");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossGradientsAndMetricsMatchTheGoldens(int index)
    {
        var golden = IftOrpoGoldens.Case("orpo", index);
        double beta = golden.GetProperty("beta").GetDouble();
        string what = $"orpo[{index}] beta {beta}";
        using var scope = torch.NewDisposeScope();
        var chosen = ObjectiveGoldens.Matrix(golden.GetProperty("chosen_token_logps"), requiresGrad: true);
        var rejected = ObjectiveGoldens.Matrix(golden.GetProperty("rejected_token_logps"), requiresGrad: true);
        var chosenMask = ObjectiveGoldens.Matrix(golden.GetProperty("chosen_mask"));
        var rejectedMask = ObjectiveGoldens.Matrix(golden.GetProperty("rejected_mask"));

        using var output = new OrpoLoss(new OrpoOptions { Beta = beta }).Compute(chosen, chosenMask, rejected, rejectedMask);
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_chosen"), chosen.grad!, $"{what} grad chosen");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_rejected"), rejected.grad!, $"{what} grad rejected");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Fact]
    public void BetaZeroIsExactlySftsTokenMeanNllOfTheChosen()
    {
        using var scope = torch.NewDisposeScope();
        var chosenMask = torch.tensor(new float[,] { { 0, 1, 1 }, { 1, 1, 1 } });
        var rejectedMask = torch.tensor(new float[,] { { 1, 1 }, { 0, 1 } });
        var chosen = torch.tensor(new float[,] { { -5, -0.25f, -1.5f }, { -0.75f, -2, -0.5f } });
        var rejected = torch.tensor(new float[,] { { -1, -3 }, { -9, -0.5f } }).requires_grad_(true);
        var forOrpo = chosen.clone().requires_grad_(true);
        var forSft = chosen.clone().requires_grad_(true);

        using var orpo = new OrpoLoss(new OrpoOptions { Beta = 0 }).Compute(forOrpo, chosenMask, rejected, rejectedMask);
        using var sft = new SftLoss().Compute(forSft, chosenMask);
        orpo.Loss.backward();
        sft.Loss.backward();

        Assert.Equal(sft.Loss.ToSingle(), orpo.Loss.ToSingle());
        Assert.True(forSft.grad!.allclose(forOrpo.grad!, rtol: 0, atol: 1e-7));
        Assert.Equal(0, rejected.grad!.abs().max().ToSingle());
    }

    [Fact]
    public void OddsRatioTermPushesChosenUpAndRejectedDown()
    {
        using var scope = torch.NewDisposeScope();
        var mask = torch.ones(1, 2);
        var chosen = torch.tensor(new float[,] { { -1, -1 } }).requires_grad_(true);
        var rejected = torch.tensor(new float[,] { { -1, -1 } }).requires_grad_(true);
        using var output = new OrpoLoss(new OrpoOptions { Beta = 1 }).Compute(chosen, mask, rejected, mask);
        output.Loss.backward();
        Assert.True(chosen.grad!.max().ToSingle() < 0);   // descent raises the chosen log-probs
        Assert.True(rejected.grad!.min().ToSingle() > 0); // and lowers the rejected ones
        Assert.Equal(Math.Log(0.5), output.Metrics[OrpoLoss.LogOddsRatioMetric], 6); // equal odds: log σ(0)
    }

    [Fact]
    public void EmptyCompletionsAndNegativeBetaFailClearly()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrpoLoss(new OrpoOptions { Beta = -1 }));
        var ex = Assert.Throws<ArgumentException>(() => new OrpoLoss().Compute(
            torch.zeros(1, 2), torch.ones(1, 2), torch.zeros(1, 2), torch.zeros(1, 2)));
        Assert.Contains("rejected completion has no token", ex.Message);
    }
}
