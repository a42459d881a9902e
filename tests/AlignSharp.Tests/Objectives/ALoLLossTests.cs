using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

public class ALoLLossTests
{
    public static IEnumerable<object[]> GoldenCases => ALoLGoldens.Indices();

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void LossAndGradientMatchTheGoldens(int index)
    {
        var golden = ALoLGoldens.Case(index);
        var options = new ALoLOptions
        {
            Variant = ALoLVariants.Parse(golden.GetProperty("variant").GetString()!),
            ClipEpsilon = golden.GetProperty("clip_epsilon").GetDouble(),
            KlBeta = golden.GetProperty("kl_beta").GetDouble(),
            GoldProbabilityFloor = golden.GetProperty("gold_floor").GetDouble(),
        };
        string what = $"alol[{index}] {options}";
        using var scope = torch.NewDisposeScope();
        var policy = ObjectiveGoldens.Matrix(golden.GetProperty("policy_token_logps"), requiresGrad: true);
        using var output = new ALoLLoss(options).Compute(
            policy,
            ObjectiveGoldens.Matrix(golden.GetProperty("mask")),
            ObjectiveGoldens.Vector(golden.GetProperty("scores")),
            ObjectiveGoldens.Matrix(golden.GetProperty("reference_token_logps")),
            ObjectiveGoldens.OptionalDouble(golden, "normaliser"));
        output.Loss.backward();

        ObjectiveGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        ObjectiveGoldens.AssertClose(golden.GetProperty("grad_policy_token_logps"), policy.grad!, $"{what} grad");
        Assert.Equal(output.Loss.ToDouble(), output.Metrics[MetricNames.Loss]);
    }

    private static (Tensor Policy, Tensor Mask, Tensor Advantages) Batch()
    {
        var policy = torch.tensor(new[,] { { -1.5, -0.2, -2.0, -0.7 }, { -0.3, -0.9, -4.0, -1.1 }, { -2.2, -0.05, -0.6, -3.0 } }, dtype: ScalarType.Float64);
        var mask = torch.tensor(new[,] { { false, true, true, true }, { true, true, false, false }, { false, false, true, true } });
        var advantages = torch.tensor(new[] { 0.8, 0.3, 1.7 }, dtype: ScalarType.Float64);
        return (policy, mask, advantages);
    }

    [Theory]
    [InlineData(ALoLVariant.ALoL)]
    [InlineData(ALoLVariant.ALoLSeq)]
    [InlineData(ALoLVariant.ALoLKl)]
    [InlineData(ALoLVariant.ALoLRefFree)]
    public void WithPolicyEqualToReferenceEveryAdvantageVariantIsAdvantageWeightedNll(ALoLVariant variant)
    {
        using var scope = torch.NewDisposeScope();
        var (values, mask, advantages) = Batch();
        var policy = values.clone().requires_grad_(true);
        using var output = new ALoLLoss(new ALoLOptions { Variant = variant, ClipEpsilon = 0.2, KlBeta = 0.5 })
            .Compute(policy, mask, advantages, values.clone());
        output.Loss.backward();

        var expectedPerRow = values.where(mask, torch.zeros_like(values)).neg().sum(1) * advantages;
        Assert.Equal(expectedPerRow.mean().ToDouble(), output.Loss.ToDouble(), 12);
        // d/d lp of A·(−Σ lp) is −A at completion positions (the KL term's gradient is β, not zero: only the value vanishes).
        var expectedGrad = advantages.unsqueeze(1).neg().expand(3, 4).where(mask, torch.zeros_like(values)) / 3.0;
        if (variant == ALoLVariant.ALoLKl) expectedGrad = expectedGrad + mask.to_type(ScalarType.Float64) * (0.5 / 3.0);
        Assert.True(torch.allclose(expectedGrad, policy.grad!, 1e-12, 1e-12), $"{variant}: {policy.grad!.ToString()}");
    }

    [Fact]
    public void RefFreeIsAdvantageWeightedNllWhateverTheReference()
    {
        using var scope = torch.NewDisposeScope();
        var (values, mask, advantages) = Batch();
        using var withoutReference = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.ALoLRefFree }).Compute(values, mask, advantages);
        using var wbc = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.WeightedBc }).Compute(values, mask, advantages);
        Assert.Equal(wbc.Loss.ToDouble(), withoutReference.Loss.ToDouble(), 12);
    }

    [Fact]
    public void RGoldWithAFloorOfOneIsWeightedBc()
    {
        // max(π, 1) = 1 for every token, so the GOLD weight disappears.
        using var scope = torch.NewDisposeScope();
        var (values, mask, rewards) = Batch();
        using var gold = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.RGold, GoldProbabilityFloor = 1 }).Compute(values, mask, rewards);
        using var wbc = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.WeightedBc }).Compute(values, mask, rewards);
        Assert.Equal(wbc.Loss.ToDouble(), gold.Loss.ToDouble(), 12);
    }

    [Fact]
    public void NegativeAdvantagesContributeNothing()
    {
        using var scope = torch.NewDisposeScope();
        var (values, mask, _) = Batch();
        var policy = values.clone().requires_grad_(true);
        using var output = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.ALoL })
            .Compute(policy, mask, torch.tensor(new[] { -0.5, 0.0, -2.0 }, dtype: ScalarType.Float64), values - 0.3);
        output.Loss.backward();
        Assert.Equal(0.0, output.Loss.ToDouble());
        Assert.Equal(0.0, policy.grad!.abs().max().ToDouble());
    }

    [Theory]
    [InlineData(ALoLVariant.ALoL)]
    [InlineData(ALoLVariant.RLoL)]
    public void TheWeightIsADetachedClippedConstant(ALoLVariant variant)
    {
        // Gradient = −A·clip(ρ)·mask / B exactly: no term from d ρ / d θ, and ρ saturates at 1 ± ε.
        using var scope = torch.NewDisposeScope();
        var (values, mask, advantages) = Batch();
        var shift = torch.tensor(new[] { 2.0, -3.0, 0.01 }, dtype: ScalarType.Float64); // log ρ per row spread over its tokens
        var counts = mask.sum(1).to_type(ScalarType.Float64);
        var reference = values - (shift / counts).unsqueeze(1);
        const double eps = 0.3;
        var policy = values.clone().requires_grad_(true);
        using var output = new ALoLLoss(new ALoLOptions { Variant = variant, ClipEpsilon = eps }).Compute(policy, mask, advantages, reference);
        output.Loss.backward();

        var clipped = torch.tensor(new[] { 1 + eps, 1 - eps, Math.Exp(0.01) }, dtype: ScalarType.Float64);
        var expected = (advantages * clipped).unsqueeze(1).neg().expand(3, 4).where(mask, torch.zeros_like(values)) / 3.0;
        Assert.True(torch.allclose(expected, policy.grad!, 1e-9, 1e-12), policy.grad!.ToString());
        Assert.Equal(2.0 / 3.0, output.Metrics[ALoLMetricNames.ClipFraction], 12);
    }

    [Fact]
    public void PaddingValuesCannotLeakIn()
    {
        using var scope = torch.NewDisposeScope();
        var (values, mask, advantages) = Batch();
        var garbage = values.where(mask, torch.full_like(values, double.NaN));
        var refGarbage = values.where(mask, torch.full_like(values, double.PositiveInfinity)) - 0.1;
        foreach (var variant in Enum.GetValues<ALoLVariant>())
        {
            using var clean = new ALoLLoss(new ALoLOptions { Variant = variant }).Compute(values, mask, advantages, values - 0.1);
            using var dirty = new ALoLLoss(new ALoLOptions { Variant = variant }).Compute(garbage, mask, advantages, refGarbage);
            Assert.Equal(clean.Loss.ToDouble(), dirty.Loss.ToDouble(), 12);
        }
    }

    [Fact]
    public void MissingInputsAreClearErrors()
    {
        using var scope = torch.NewDisposeScope();
        var (values, mask, advantages) = Batch();
        var error = Assert.Throws<ArgumentException>(() => new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.ALoLSeq }).Compute(values, mask, advantages));
        Assert.Contains("a_lol_seq", error.Message);
        Assert.Throws<ArgumentException>(() => new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.WeightedBc }).Compute(values, mask, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ALoLLoss(new ALoLOptions { ClipEpsilon = 1.5 }));
        using var nll = new ALoLLoss(new ALoLOptions { Variant = ALoLVariant.Nll }).Compute(values, mask, null);
        Assert.True(nll.Loss.ToDouble() > 0);
    }

    [Fact]
    public void VariantNamesRoundTrip()
    {
        foreach (var variant in Enum.GetValues<ALoLVariant>())
            Assert.Equal(variant, ALoLVariants.Parse(variant.ToName()));
        Assert.Throws<ArgumentException>(() => ALoLVariants.Parse("ppo"));
    }
}
