using System.Text.Json;
using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class ModpoLossTests
{
    public static IEnumerable<object[]> GoldenCases => ModpoGoldens.Indices();

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossGradientsAndMetricsMatchTheGoldens(int index)
    {
        var golden = ModpoGoldens.Case(index);
        var options = new ModpoOptions
        {
            Beta = golden.GetProperty("beta").GetDouble(),
            LossType = ModpoLossTypes.Parse(golden.GetProperty("loss_type").GetString()!),
            Weights = ObjectiveGoldens.Doubles(golden.GetProperty("weights")),
        };
        string what = $"modpo[{index}] {options.LossType} β={options.Beta} w=({string.Join(", ", options.Weights)})";
        using var scope = torch.NewDisposeScope();
        var policyChosen = ObjectiveGoldens.Vector(golden.GetProperty("policy_chosen"), requiresGrad: true);
        var policyRejected = ObjectiveGoldens.Vector(golden.GetProperty("policy_rejected"), requiresGrad: true);

        using var output = new ModpoLoss(options).Compute(
            policyChosen,
            policyRejected,
            ObjectiveGoldens.Vector(golden.GetProperty("reference_chosen")),
            ObjectiveGoldens.Vector(golden.GetProperty("reference_rejected")),
            Margins(golden.GetProperty("chosen_margins")),
            Margins(golden.GetProperty("rejected_margins")),
            pairNormaliser: ObjectiveGoldens.OptionalDouble(golden, "normaliser"));
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_policy_chosen"), policyChosen.grad!, $"{what} grad chosen");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_policy_rejected"), policyRejected.grad!, $"{what} grad rejected");
        ObjectiveGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    static Tensor? Margins(JsonElement rows) => rows.ValueKind == JsonValueKind.Null ? null : ObjectiveGoldens.Matrix(rows);

    // DPO equivalence, part 1: w = (1) with no margin scorer is DpoLoss, loss and gradients, to rounding.
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void WeightOneWithoutMarginsIsDpoExactly(double beta)
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var pcModpo = pc.clone().requires_grad_(true);
        var pcDpo = pc.clone().requires_grad_(true);
        using var modpo = new ModpoLoss(new ModpoOptions { Beta = beta, Weights = [1.0] }).Compute(pcModpo, pr, rc, rr, null, null);
        using var dpo = new DpoLoss(new DpoOptions { Beta = beta }).Compute(pcDpo, pr, rc, rr);
        modpo.Loss.backward();
        dpo.Loss.backward();

        Assert.Equal(dpo.Loss.ToDouble(), modpo.Loss.ToDouble(), 14);
        double[] gradModpo = pcModpo.grad!.data<double>().ToArray(), gradDpo = pcDpo.grad!.data<double>().ToArray();
        for (int i = 0; i < gradDpo.Length; i++) Assert.Equal(gradDpo[i], gradModpo[i], 14);
        foreach (string key in dpo.Metrics.Keys) Assert.Equal(dpo.Metrics[key], modpo.Metrics[key], 14);
    }

    // DPO equivalence, part 2: w = (1, 0) with a margin scorer present is DPO exactly, whatever the margins.
    [Fact]
    public void ZeroMarginWeightIsDpoExactly()
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var pcModpo = pc.clone().requires_grad_(true);
        var pcDpo = pc.clone().requires_grad_(true);
        var mc = torch.tensor(new[] { 3.0, -1.0, 0.5, 2.0 }).unsqueeze(1);
        var mr = torch.tensor(new[] { -2.0, 4.0, 0.0, 1.0 }).unsqueeze(1);
        using var modpo = new ModpoLoss(new ModpoOptions { Beta = 0.1, Weights = [1.0, 0.0] }).Compute(pcModpo, pr, rc, rr, mc, mr);
        using var dpo = new DpoLoss(new DpoOptions { Beta = 0.1 }).Compute(pcDpo, pr, rc, rr);
        modpo.Loss.backward();
        dpo.Loss.backward();
        Assert.Equal(dpo.Loss.ToDouble(), modpo.Loss.ToDouble(), 14);
        double[] gradModpo = pcModpo.grad!.data<double>().ToArray(), gradDpo = pcDpo.grad!.data<double>().ToArray();
        for (int i = 0; i < gradDpo.Length; i++) Assert.Equal(gradDpo[i], gradModpo[i], 14);
    }

    // DPO equivalence, part 3: w = (1, ε) tends to DPO as ε → 0, linearly in ε.
    [Fact]
    public void AVanishingMarginWeightTendsToDpo()
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var mc = torch.tensor(new[] { 3.0, -1.0, 0.5, 2.0 }).unsqueeze(1);
        var mr = torch.tensor(new[] { -2.0, 4.0, 0.0, 1.0 }).unsqueeze(1);
        using var dpo = new DpoLoss(new DpoOptions { Beta = 0.1 }).Compute(pc, pr, rc, rr);
        double previous = double.PositiveInfinity;
        foreach (double epsilon in new[] { 1e-1, 1e-3, 1e-6, 1e-9 })
        {
            using var modpo = new ModpoLoss(new ModpoOptions { Beta = 0.1, Weights = [1.0, epsilon] }).Compute(pc, pr, rc, rr, mc, mr);
            double gap = Math.Abs(modpo.Loss.ToDouble() - dpo.Loss.ToDouble());
            Assert.True(gap <= 5 * epsilon, $"ε = {epsilon}: |MODPO − DPO| = {gap} is not O(ε)");
            Assert.True(gap < previous || gap == 0);
            previous = gap;
        }
        Assert.True(previous < 1e-8);
    }

    // Margins equal for chosen and rejected cancel: any margin weight then gives DPO with β/w_k.
    [Fact]
    public void MarginsThatDoNotDifferCancelLeavingDpoWithBetaOverWk()
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var same = torch.tensor(new[] { 3.0, -1.0, 0.5, 2.0 }).unsqueeze(1);
        using var modpo = new ModpoLoss(new ModpoOptions { Beta = 0.2, Weights = [0.5, 0.5] }).Compute(pc, pr, rc, rr, same, same.clone());
        using var dpo = new DpoLoss(new DpoOptions { Beta = 0.4 }).Compute(pc, pr, rc, rr);
        Assert.Equal(dpo.Loss.ToDouble(), modpo.Loss.ToDouble(), 12);
    }

    [Fact]
    public void HingeIsZeroBeyondTheMarginAndLinearBelowIt()
    {
        using var scope = torch.NewDisposeScope();
        var reference = torch.tensor(new[] { -10.0, -10.0 });
        // logits = β(pc − pr) with equal references: 0.5·4 = 2 (no loss) and 0.5·(−2) = −1 (loss 2).
        var pc = torch.tensor(new[] { -6.0, -12.0 });
        var pr = torch.tensor(new[] { -10.0, -10.0 });
        using var output = new ModpoLoss(new ModpoOptions { Beta = 0.5, LossType = ModpoLossType.Hinge }).Compute(pc, pr, reference, reference, null, null);
        Assert.Equal((0 + 2) / 2.0, output.Loss.ToDouble(), 12);
    }

    [Theory]
    [InlineData(new[] { 0.0, 1.0 }, "w_k", "> 0")]
    [InlineData(new[] { -0.5, 1.0 }, "w_k", "> 0")]
    [InlineData(new[] { double.NaN }, "w_k", "> 0")]
    [InlineData(new[] { 0.5, 0.5, -0.1 }, "weights[2]", "≥ 0")]
    [InlineData(new[] { 0.5, double.PositiveInfinity }, "weights[1]", "≥ 0")]
    public void BadWeightsAreRejectedNamingTheWeight(double[] weights, string named, string rule)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ModpoLoss(new ModpoOptions { Weights = weights }));
        Assert.Contains(named, error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void OtherMeaninglessSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModpoLoss(new ModpoOptions { Beta = 0 }));
        Assert.Throws<ArgumentException>(() => new ModpoLoss(new ModpoOptions { Weights = [] }));
        var error = Assert.Throws<ArgumentException>(() => ModpoLossTypes.Parse("ipo"));
        Assert.Contains("sigmoid, hinge", error.Message);
        Assert.Equal("hinge", ModpoLossType.Hinge.ToName());
    }

    [Fact]
    public void MarginsOfTheWrongShapeOrMissingSayWhatWasExpected()
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var loss = new ModpoLoss(new ModpoOptions { Weights = [0.5, 0.25, 0.25] });
        var missing = Assert.Throws<ArgumentException>(() => loss.Compute(pc, pr, rc, rr, null, null));
        Assert.Contains("2 margin scorer", missing.Message);
        var wrong = Assert.Throws<ArgumentException>(() => loss.Compute(pc, pr, rc, rr, torch.zeros(4, 1), torch.zeros(4, 1)));
        Assert.Contains("[4, 2]", wrong.Message);
    }

    [Fact]
    public void NeitherTheReferenceNorTheMarginsReceiveGradients()
    {
        using var scope = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        pc.requires_grad_(true);
        rc.requires_grad_(true);
        var mc = torch.ones(4, 1).requires_grad_(true);
        using var output = new ModpoLoss(new ModpoOptions { Weights = [0.5, 0.5] }).Compute(pc, pr, rc, rr, mc, torch.zeros(4, 1));
        output.Loss.backward();
        Assert.NotNull(pc.grad);
        Assert.Null(rc.grad);
        Assert.Null(mc.grad);
    }

    [Fact]
    public void OnlyTheLossLeavesTheComputation()
    {
        using var outer = torch.NewDisposeScope();
        var (pc, pr, rc, rr) = LogProbs();
        var margins = torch.ones(4, 1);
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var output = new ModpoLoss(new ModpoOptions { Weights = [0.5, 0.5] }).Compute(pc, pr, rc, rr, margins, margins);
        Assert.Equal(liveBefore + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        output.Dispose();
        Assert.Equal(liveBefore, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    static (Tensor, Tensor, Tensor, Tensor) LogProbs() => (
        torch.tensor(new[] { -10.0, -20.0, -5.0, -8.0 }),
        torch.tensor(new[] { -11.0, -18.0, -9.0, -8.5 }),
        torch.tensor(new[] { -10.5, -19.0, -6.0, -7.0 }),
        torch.tensor(new[] { -10.0, -19.5, -8.0, -9.0 }));
}
