using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// RLOO's loss with TRL's semantics: a sequence-level clipped ratio, ρ = exp(Σ_t log π_θ − Σ_t log π_old) over the
/// trained tokens, ℓ = −min(ρ A, clip(ρ, 1 − ε, 1 + ε_high) A) per completion, averaged over the step's completions.
/// The KL to the reference is not in the loss: it was subtracted from the reward (k1 summed over the completion, times β)
/// before the leave-one-out baseline (<see cref="LeaveOneOutAdvantages"/>). At the first update since sampling
/// π_old is the current policy detached, so ρ = 1 exactly.
/// </summary>
public sealed class RlooLoss
{
    public RlooLoss(double epsilon = 0.2, double? epsilonHigh = null)
    {
        if (!(epsilon >= 0 && epsilon < 1)) throw new ArgumentException($"epsilon = {epsilon}: must be in [0, 1)");
        if (epsilonHigh is double h && !(h >= 0 && double.IsFinite(h))) throw new ArgumentException($"epsilon_high = {h}: must be ≥ 0");
        Epsilon = epsilon;
        EpsilonHigh = epsilonHigh ?? epsilon;
    }

    public double Epsilon { get; }

    public double EpsilonHigh { get; }

    /// <param name="logProbs">[B, T] log π_θ of the trained tokens (with the graph), 0 elsewhere.</param>
    /// <param name="mask">[B, T] bool: the trained tokens.</param>
    /// <param name="oldLogProbs">[B, T]; null means the current ones detached.</param>
    /// <param name="advantages">[B].</param>
    /// <param name="normaliser">The optimizer step's totals.</param>
    public ObjectiveOutput Compute(Tensor logProbs, Tensor mask, Tensor? oldLogProbs, Tensor advantages, PolicyGradientNormaliser normaliser)
    {
        ObjectiveTensors.RequireTokenMatrix(logProbs, mask, "RLOO", nameof(logProbs), "log-probs", nameof(mask), "mask");
        ScalarType precision = ObjectiveTensors.LossPrecision(logProbs, oldLogProbs, advantages);
        Tensor m = mask.to_type(precision);
        Tensor sequence = (logProbs.to_type(precision) * m).sum(1);
        Tensor oldSequence = ((oldLogProbs ?? logProbs).detach().to_type(precision) * m).sum(1);
        Tensor a = advantages.to_type(precision).reshape(-1);
        Tensor ratio = (sequence - oldSequence).clamp(-KlEstimator.LogRatioClamp, KlEstimator.LogRatioClamp).exp();
        Tensor clipped = ratio.clamp(1 - Epsilon, 1 + EpsilonHigh);
        Tensor loss = -minimum(ratio * a, clipped * a).sum() / normaliser.StepCompletions;

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        using (no_grad())
        {
            double rows = Math.Max(a.shape[0], 1);
            Tensor low = ratio.lt(1 - Epsilon).logical_and(a.lt(0));
            Tensor high = ratio.gt(1 + EpsilonHigh).logical_and(a.gt(0));
            metrics["loss"] = loss.ToDouble();
            metrics["clip_ratio/low_mean"] = low.sum().ToDouble() / rows;
            metrics["clip_ratio/high_mean"] = high.sum().ToDouble() / rows;
            metrics["clip_ratio/region_mean"] = low.logical_or(high).sum().ToDouble() / rows;
        }
        return new ObjectiveOutput(loss, metrics);
    }
}
