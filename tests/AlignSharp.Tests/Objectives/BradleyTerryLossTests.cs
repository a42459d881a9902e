using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class BradleyTerryLossTests
{
    public static IEnumerable<object[]> GoldenCases => ObjectiveGoldens.Indices("bradley_terry");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossGradientsAndMetricsMatchTheGoldens(int index)
    {
        var golden = ObjectiveGoldens.Case("bradley_terry", index);
        string what = $"bradley_terry[{index}]";
        using var scope = torch.NewDisposeScope();
        var chosen = ObjectiveGoldens.Vector(golden.GetProperty("chosen_rewards"), requiresGrad: true);
        var rejected = ObjectiveGoldens.Vector(golden.GetProperty("rejected_rewards"), requiresGrad: true);
        var marginsJson = golden.GetProperty("margins");
        Tensor? margins = marginsJson.ValueKind == System.Text.Json.JsonValueKind.Null ? null : ObjectiveGoldens.Vector(marginsJson);
        var options = new BradleyTerryOptions { CenterRewardsCoefficient = ObjectiveGoldens.OptionalDouble(golden, "center_rewards_coefficient") };

        using var output = new BradleyTerryLoss(options).Compute(chosen, rejected, margins, ObjectiveGoldens.OptionalDouble(golden, "normaliser"));
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_chosen"), chosen.grad!, $"{what} grad chosen");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_rejected"), rejected.grad!, $"{what} grad rejected");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Fact]
    public void EqualRewardsGiveLogTwoAndNoAccuracy()
    {
        using var scope = torch.NewDisposeScope();
        var rewards = torch.tensor(new[] { 0.3, -1.2, 4.0 });
        using var output = new BradleyTerryLoss().Compute(rewards, rewards.clone());
        Assert.Equal(Math.Log(2), output.Loss.ToDouble(), 12);
        Assert.Equal(0.0, output.Metrics[MetricNames.Accuracy]); // ties are not wins
        Assert.Equal(0.0, output.Metrics[MetricNames.RewardsMargins]);
    }

    [Fact]
    public void AValueHeadShapedBatchIsAccepted()
    {
        using var scope = torch.NewDisposeScope();
        using var flat = new BradleyTerryLoss().Compute(torch.tensor(new[] { 1.0, 2.0 }), torch.tensor(new[] { 0.0, 3.0 }));
        using var column = new BradleyTerryLoss().Compute(torch.tensor(new[] { 1.0, 2.0 }).unsqueeze(1), torch.tensor(new[] { 0.0, 3.0 }).unsqueeze(1));
        Assert.Equal(flat.Loss.ToDouble(), column.Loss.ToDouble());
        Assert.Equal(0.5, column.Metrics[MetricNames.Accuracy]);
    }

    [Fact]
    public void MismatchedBatchSizesAreNamedInTheError()
    {
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() =>
            new BradleyTerryLoss().Compute(torch.zeros(3), torch.zeros(3), margins: torch.zeros(2)));
        Assert.Contains("margins", error.Message);
        Assert.Throws<ArgumentException>(() => new BradleyTerryLoss().Compute(torch.zeros(3, 2), torch.zeros(3, 2)));
    }

    [Fact]
    public void NoGradientFlowsIntoTheMargins()
    {
        using var scope = torch.NewDisposeScope();
        var margins = torch.tensor(new[] { 0.5, 1.0 }).requires_grad_(true);
        var chosen = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_(true);
        using var output = new BradleyTerryLoss().Compute(chosen, torch.tensor(new[] { 0.0, 3.0 }), margins);
        output.Loss.backward();
        Assert.Null(margins.grad);
        Assert.NotNull(chosen.grad);
    }
}
