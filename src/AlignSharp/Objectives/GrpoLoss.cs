using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// GRPO's loss (Shao et al. 2024, with TRL's semantics): per completion token,
/// ℓ_t = −min(ρ_t A, clip(ρ_t, 1 − ε, 1 + ε_high) A) + β · KL_t, with ρ_t = π_θ(y_t)/π_old(y_t), A the completion's
/// group advantage and KL_t the estimator of <see cref="GrpoOptions.KlEstimator"/> against the reference, then
/// aggregated by <see cref="GrpoOptions.LossType"/>. All inputs are [batch, time] aligned with the trained tokens' mask.
/// </summary>
/// <remarks>
/// When the update is the first since sampling, π_old is the current policy itself (its log-probs detached), so ρ = 1
/// exactly and nothing is clipped; the gradient is then A·∇log π. Metrics (TRL names): <c>clip_ratio/low_mean</c>
/// (ρ below 1 − ε where A &lt; 0), <c>clip_ratio/high_mean</c> (above 1 + ε_high where A &gt; 0), <c>clip_ratio/region_mean</c>,
/// <c>kl</c> (mean KL_t, when β &gt; 0), and <c>policy_loss</c> (the clipped surrogate alone, aggregated as the loss).
/// </remarks>
public sealed class GrpoLoss
{
    public GrpoLoss(GrpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public GrpoOptions Options { get; }

    /// <param name="logProbs">[B, T] log π_θ of the trained tokens (with the graph), 0 elsewhere.</param>
    /// <param name="mask">[B, T] bool: the trained tokens.</param>
    /// <param name="oldLogProbs">[B, T] log π_old; null means the current log-probs detached (first update since sampling).</param>
    /// <param name="referenceLogProbs">[B, T] log π_ref; required when β &gt; 0.</param>
    /// <param name="advantages">[B] one advantage per completion.</param>
    /// <param name="normaliser">The optimizer step's totals (the loop's contract: micro-batch losses add up to the step's).</param>
    public ObjectiveOutput Compute(Tensor logProbs, Tensor mask, Tensor? oldLogProbs, Tensor? referenceLogProbs, Tensor advantages,
        PolicyGradientNormaliser normaliser)
    {
        ObjectiveTensors.RequireTokenMatrix(logProbs, mask, "GRPO", nameof(logProbs), "log-probs", nameof(mask), "mask");
        if (Options.Beta > 0 && referenceLogProbs is null)
            throw new ArgumentException($"GRPO: beta = {Options.Beta} needs the reference's log-probs", nameof(referenceLogProbs));
        ScalarType precision = ObjectiveTensors.LossPrecision(logProbs, oldLogProbs, referenceLogProbs, advantages);
        Tensor m = mask.to_type(precision);
        Tensor logp = logProbs.to_type(precision);
        Tensor old = (oldLogProbs ?? logProbs).detach().to_type(precision);
        Tensor a = advantages.to_type(precision).reshape(-1, 1);

        Tensor ratio = (logp - old).clamp(-KlEstimator.LogRatioClamp, KlEstimator.LogRatioClamp).exp();
        Tensor clipped = ratio.clamp(1 - Options.Epsilon, 1 + Options.UpperClip);
        Tensor surrogate = -minimum(ratio * a, clipped * a);
        Tensor perToken = surrogate;
        Tensor? kl = null;
        if (Options.Beta > 0)
        {
            kl = KlEstimator.PerToken(logp, referenceLogProbs!.to_type(precision), Options.KlEstimator).to_type(precision);
            perToken = surrogate + Options.Beta * kl;
        }
        Tensor loss = Aggregate(perToken, m, normaliser);

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        using (no_grad())
        {
            double tokens = Math.Max(m.sum().ToDouble(), 1);
            double Share(Tensor flags) => (flags.to_type(precision) * m).sum().ToDouble() / tokens;
            Tensor low = ratio.lt(1 - Options.Epsilon).logical_and(a.lt(0));
            Tensor high = ratio.gt(1 + Options.UpperClip).logical_and(a.gt(0));
            metrics["loss"] = loss.ToDouble();
            metrics["policy_loss"] = Aggregate(surrogate, m, normaliser).ToDouble();
            metrics["clip_ratio/low_mean"] = Share(low);
            metrics["clip_ratio/high_mean"] = Share(high);
            metrics["clip_ratio/region_mean"] = Share(low.logical_or(high));
            if (kl is not null) metrics["kl"] = (kl * m).sum().ToDouble() / tokens;
        }
        return new ObjectiveOutput(loss, metrics);
    }

    Tensor Aggregate(Tensor perToken, Tensor mask, PolicyGradientNormaliser n)
    {
        Tensor masked = perToken * mask;
        return Options.LossType switch
        {
            GrpoLossType.Grpo => (masked.sum(1) / mask.sum(1).clamp_min(1)).sum() / n.StepCompletions,
            GrpoLossType.Bnpo => masked.sum() / mask.sum().clamp_min(1) / n.MicroBatches,
            GrpoLossType.DrGrpo => masked.sum() / ((double)n.StepCompletions * n.MaxCompletionLength),
            GrpoLossType.Dapo => masked.sum() / Math.Max(n.StepLossTokens, 1),
            _ => throw new InvalidOperationException($"unknown loss_type {Options.LossType}"),
        };
    }
}
