using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>Which per-token estimate of KL(π_θ ‖ π_ref) from samples of π_θ (Schulman, "Approximating KL divergence").</summary>
public enum KlEstimatorKind
{
    /// <summary>k1 = log π_θ − log π_ref: unbiased, high variance, can be negative per token (TRL RLOO/PPO's reward penalty).</summary>
    K1,
    /// <summary>k2 = ½ (log π_θ − log π_ref)²: biased, low variance; its gradient is the reverse-KL gradient.</summary>
    K2,
    /// <summary>k3 = e^(log π_ref − log π_θ) − 1 − (log π_ref − log π_θ): unbiased, ≥ 0, low variance (TRL GRPO's loss term).</summary>
    K3,
    /// <summary>k3's value with k2's gradient (verl's "k3+", straight-through): k3 for reporting, an unbiased gradient of the KL.</summary>
    K3PlusK2Gradient,
}

/// <summary>
/// The one place KL estimates are computed, in fp32 at least (float64 inputs stay float64, as every loss does) with
/// verl's clamps (log-ratio to ±20, result to ±10): the unclamped exp in k3 is the documented source of KL and loss
/// going to NaN (verl#751, anchors-online.md §2 #3).
/// </summary>
public static class KlEstimator
{
    public const double LogRatioClamp = 20;
    public const double ResultClamp = 10;

    /// <summary>Per-token estimates, same shape as the inputs; differentiable in <paramref name="policyLogProbs"/>.</summary>
    public static Tensor PerToken(Tensor policyLogProbs, Tensor referenceLogProbs, KlEstimatorKind kind)
    {
        ArgumentNullException.ThrowIfNull(policyLogProbs);
        ArgumentNullException.ThrowIfNull(referenceLogProbs);
        ScalarType precision = ObjectiveTensors.LossPrecision(policyLogProbs, referenceLogProbs);
        Tensor logRatio = (policyLogProbs.to_type(precision) - referenceLogProbs.to_type(precision)).clamp(-LogRatioClamp, LogRatioClamp);
        // k3+ clamps its two parts separately: clamping the straight-through sum would give k3's clamp region to the
        // gradient, zero where k3 is clamped (r < −2.49) though k2 is not, non-zero where k2 is (√20 < r < 11) though k3 is not.
        return kind switch
        {
            KlEstimatorKind.K1 => Clamp(logRatio),
            KlEstimatorKind.K2 => Clamp(0.5 * logRatio.square()),
            KlEstimatorKind.K3 => Clamp(K3(logRatio)),
            KlEstimatorKind.K3PlusK2Gradient => StraightThrough(Clamp(K3(logRatio)), Clamp(0.5 * logRatio.square())),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    static Tensor Clamp(Tensor estimate) => estimate.clamp(-ResultClamp, ResultClamp);

    /// <summary>k3 from r = log π_θ − log π_ref: e^(−r) − 1 + r.</summary>
    static Tensor K3(Tensor logRatio) => (-logRatio).exp() - 1 + logRatio;

    /// <summary>The value of <paramref name="value"/> with the gradient of <paramref name="gradient"/>.</summary>
    static Tensor StraightThrough(Tensor value, Tensor gradient) => gradient + (value - gradient).detach();

    /// <summary>Parses the config names: k1 (or kl), k2 (mse), k3 (low_var_kl), k3+.</summary>
    public static KlEstimatorKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "k1" or "kl" => KlEstimatorKind.K1,
        "k2" or "mse" => KlEstimatorKind.K2,
        "k3" or "low_var_kl" => KlEstimatorKind.K3,
        "k3+" => KlEstimatorKind.K3PlusK2Gradient,
        _ => throw new ArgumentException($"kl_estimator = {name}: expected k1, k2, k3 or k3+"),
    };
}
