using System.Text.Json;
using AlignSharp.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Objectives;

/// <summary>
/// Reads tests/fixtures/objectives/online_goldens.json, written by make_online_goldens.py (torch 1.13, float64)
/// from TRL's GRPO/RLOO formulas and verl's KL clamps (anchors-online.md §1.2–1.3), not from the C# code.
/// </summary>
internal static class OnlineGoldens
{
    // Everything is float64 end to end, so the only differences are summation order (≈1e-16 relative).
    public const double Tolerance = 1e-10;

    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "objectives", "online_goldens.json");
        Assert.True(File.Exists(path), $"golden file missing at {path}; run tests/fixtures/objectives/make_online_goldens.py");
        return JsonDocument.Parse(File.ReadAllText(path));
    });

    public static JsonElement Case(string section, int index) => Document.Value.RootElement.GetProperty(section)[index];

    public static IEnumerable<object[]> Indices(string section) =>
        Enumerable.Range(0, Document.Value.RootElement.GetProperty(section).GetArrayLength()).Select(i => new object[] { i });

    public static Tensor? OptionalMatrix(JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null ? null : ObjectiveGoldens.Matrix(element.GetProperty(property));

    /// <summary>The loop passes bool masks; the fixture stores 0/1.</summary>
    public static Tensor Mask(JsonElement element) => ObjectiveGoldens.Matrix(element.GetProperty("mask")).gt(0.5);

    public static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):E2})");

    public static void AssertClose(JsonElement expected, Tensor actual, string what)
    {
        double[] want = expected[0].ValueKind == JsonValueKind.Array
            ? expected.EnumerateArray().SelectMany(ObjectiveGoldens.Doubles).ToArray()
            : ObjectiveGoldens.Doubles(expected);
        Assert.Equal(ScalarType.Float64, actual.dtype);
        double[] got = actual.contiguous().data<double>().ToArray();
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++) AssertClose(want[i], got[i], $"{what}[{i}]");
    }

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) AssertClose(expected[i], actual[i], $"{what}[{i}]");
    }

    /// <summary>Exactly the golden's metric names (no missing, no extra), each to tolerance.</summary>
    public static void AssertMetrics(JsonElement expected, IReadOnlyDictionary<string, double> actual, string what)
    {
        var names = expected.EnumerateObject().Select(m => m.Name).ToHashSet();
        Assert.True(names.SetEquals(actual.Keys), $"{what}: metrics {string.Join(", ", actual.Keys)}, expected {string.Join(", ", names)}");
        foreach (var metric in expected.EnumerateObject())
            AssertClose(metric.Value.GetDouble(), actual[metric.Name], $"{what} metric {metric.Name}");
    }
}

public class OnlineObjectiveGoldenTests
{
    public static IEnumerable<object[]> KlCases => OnlineGoldens.Indices("kl");
    public static IEnumerable<object[]> GrpoAdvantageCases => OnlineGoldens.Indices("grpo_advantages");
    public static IEnumerable<object[]> RlooAdvantageCases => OnlineGoldens.Indices("rloo_advantages");
    public static IEnumerable<object[]> GrpoLossCases => OnlineGoldens.Indices("grpo_loss");
    public static IEnumerable<object[]> RlooLossCases => OnlineGoldens.Indices("rloo_loss");

    [Theory]
    [MemberData(nameof(KlCases))]
    public void KlEstimatesAndGradientsMatchTheGoldens(int index)
    {
        var golden = OnlineGoldens.Case("kl", index);
        string name = golden.GetProperty("estimator").GetString()!;
        using var scope = torch.NewDisposeScope();
        var policy = ObjectiveGoldens.Matrix(golden.GetProperty("policy_token_logps"), requiresGrad: true);
        var kl = KlEstimator.PerToken(policy, ObjectiveGoldens.Matrix(golden.GetProperty("reference_token_logps")), KlEstimator.Parse(name));
        kl.sum().backward();

        OnlineGoldens.AssertClose(golden.GetProperty("per_token"), kl.detach(), $"kl {name} value");
        OnlineGoldens.AssertClose(golden.GetProperty("grad_policy_token_logps"), policy.grad!, $"kl {name} grad");
    }

    [Theory]
    [MemberData(nameof(GrpoAdvantageCases))]
    public void GroupAdvantagesMatchTheGoldens(int index)
    {
        var golden = OnlineGoldens.Case("grpo_advantages", index);
        var scaling = GroupAdvantages.ParseScaling(golden.GetProperty("scaling").GetString()!);
        double[] got = GroupAdvantages.Compute(ObjectiveGoldens.Doubles(golden.GetProperty("rewards")), golden.GetProperty("group_size").GetInt32(), scaling);
        OnlineGoldens.AssertClose(ObjectiveGoldens.Doubles(golden.GetProperty("advantages")), got, $"grpo advantages {scaling}");
    }

    [Theory]
    [MemberData(nameof(RlooAdvantageCases))]
    public void LeaveOneOutAdvantagesMatchTheGoldens(int index)
    {
        var golden = OnlineGoldens.Case("rloo_advantages", index);
        int k = golden.GetProperty("group_size").GetInt32();
        bool normalize = golden.GetProperty("normalize").GetBoolean();
        double[] got = LeaveOneOutAdvantages.Compute(ObjectiveGoldens.Doubles(golden.GetProperty("rewards")), k, normalize);
        OnlineGoldens.AssertClose(ObjectiveGoldens.Doubles(golden.GetProperty("advantages")), got, $"rloo advantages k={k} normalize={normalize}");
    }

    [Theory]
    [MemberData(nameof(GrpoLossCases))]
    public void GrpoLossGradientAndMetricsMatchTheGoldens(int index)
    {
        var golden = OnlineGoldens.Case("grpo_loss", index);
        var options = new GrpoOptions
        {
            LossType = GrpoOptions.ParseLossType(golden.GetProperty("loss_type").GetString()!),
            Epsilon = golden.GetProperty("epsilon").GetDouble(),
            EpsilonHigh = ObjectiveGoldens.OptionalDouble(golden, "epsilon_high"),
            Beta = golden.GetProperty("beta").GetDouble(),
            KlEstimator = KlEstimator.Parse(golden.GetProperty("kl_estimator").GetString()!),
        };
        var n = golden.GetProperty("normaliser");
        var normaliser = new PolicyGradientNormaliser(n.GetProperty("step_completions").GetInt32(), (long)n.GetProperty("step_loss_tokens").GetDouble(),
            n.GetProperty("micro_batches").GetInt32(), n.GetProperty("max_completion_length").GetInt32());
        string what = $"grpo_loss[{index}] {options} {normaliser}";
        using var scope = torch.NewDisposeScope();
        var policy = ObjectiveGoldens.Matrix(golden.GetProperty("policy_token_logps"), requiresGrad: true);
        using var output = new GrpoLoss(options).Compute(policy, OnlineGoldens.Mask(golden), OnlineGoldens.OptionalMatrix(golden, "old_token_logps"),
            ObjectiveGoldens.Matrix(golden.GetProperty("reference_token_logps")), ObjectiveGoldens.Vector(golden.GetProperty("advantages")), normaliser);
        output.Loss.backward();

        OnlineGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        OnlineGoldens.AssertClose(golden.GetProperty("grad_policy_token_logps"), policy.grad!, $"{what} grad");
        OnlineGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }

    [Theory]
    [MemberData(nameof(RlooLossCases))]
    public void RlooLossGradientAndMetricsMatchTheGoldens(int index)
    {
        var golden = OnlineGoldens.Case("rloo_loss", index);
        var loss = new RlooLoss(golden.GetProperty("epsilon").GetDouble(), ObjectiveGoldens.OptionalDouble(golden, "epsilon_high"));
        int rows = golden.GetProperty("step_completions").GetInt32();
        var mask = OnlineGoldens.Mask(golden);
        string what = $"rloo_loss[{index}]";
        using var scope = torch.NewDisposeScope();
        // The fixture's advantages are its rewards' leave-one-out advantages: check that link too.
        double[] advantages = LeaveOneOutAdvantages.Compute(ObjectiveGoldens.Doubles(golden.GetProperty("rewards")), 2);
        OnlineGoldens.AssertClose(ObjectiveGoldens.Doubles(golden.GetProperty("advantages")), advantages, $"{what} advantages");
        var policy = ObjectiveGoldens.Matrix(golden.GetProperty("policy_token_logps"), requiresGrad: true);
        using var output = loss.Compute(policy, mask, OnlineGoldens.OptionalMatrix(golden, "old_token_logps"),
            ObjectiveGoldens.Vector(golden.GetProperty("advantages")), new PolicyGradientNormaliser(rows, mask.sum().ToInt64(), 1, (int)mask.shape[1]));
        output.Loss.backward();

        OnlineGoldens.AssertClose(golden.GetProperty("loss").GetDouble(), output.Loss.ToDouble(), $"{what} loss");
        OnlineGoldens.AssertClose(golden.GetProperty("grad_policy_token_logps"), policy.grad!, $"{what} grad");
        OnlineGoldens.AssertMetrics(golden.GetProperty("metrics"), output.Metrics, what);
    }
}
