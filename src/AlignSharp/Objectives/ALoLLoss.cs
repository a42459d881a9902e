using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// A-LoL (Baheti et al., ICLR 2024), its variants and the paper's baselines (algorithms.md §3a, as the
/// official code implements them). Per sequence b with completion tokens t:
///   NLL_b = −Σ_t log π_θ(y_t|·);  ρ_b = exp(Σ_t log π_θ − log π_ref), detached, clipped to [1−ε, 1+ε];
///   A-LoL A⁺ρNLL, ref-free A⁺NLL, seq A⁺Σ_t clip(sg ρ_t)(−log π_θ), KL A⁺NLL + β(log π_θ − log π_ref),
///   NLL, wBC R·NLL, R-LoL RρNLL, R-GOLD RΣ_t sg(max(π_θ, floor))(−log π_θ).
/// Losses are sums over completion tokens (the code: summing worked better than averaging) and the batch
/// loss is Σ_b loss_b / normaliser (default: the batch's sequence count). A⁺ is max(A, 0) here even when the
/// sampler already filtered A ≤ 0 (the code clamps twice). Prompt and padding positions are selected away.
/// </summary>
public sealed class ALoLLoss
{
    private const string Name = "A-LoL";

    public ALoLLoss(ALoLOptions? options = null)
    {
        Options = options ?? new ALoLOptions();
        Options.Validate();
    }

    public ALoLOptions Options { get; }

    /// <summary>
    /// <paramref name="policyTokenLogps"/>: [batch, time] log π_θ of each target token (with grad).
    /// <paramref name="completionMask"/>: [batch, time], true where the target is a completion token.
    /// <paramref name="scores"/>: [batch] the advantage A = R − V for the A-LoL variants, the reward R for
    /// wBC, R-LoL and R-GOLD; ignored (may be null) for NLL. Treated as constants.
    /// <paramref name="referenceTokenLogps"/>: [batch, time] log π_ref, required by A-LoL, seq, KL and R-LoL.
    /// <paramref name="sequenceNormaliser"/>: denominator of the batch loss; pass the accumulated batch's
    /// sequence count under gradient accumulation.
    /// </summary>
    public ObjectiveOutput Compute(
        Tensor policyTokenLogps,
        Tensor completionMask,
        Tensor? scores,
        Tensor? referenceTokenLogps = null,
        double? sequenceNormaliser = null)
    {
        ArgumentNullException.ThrowIfNull(policyTokenLogps);
        ArgumentNullException.ThrowIfNull(completionMask);
        var variant = Options.Variant;
        ObjectiveTensors.RequireTokenMatrix(policyTokenLogps, completionMask, Name, nameof(policyTokenLogps), "policy token log-probs", nameof(completionMask), "completion mask");
        if (variant.UsesReference() && referenceTokenLogps is null)
            throw new ArgumentException($"{Name}: variant '{variant.ToName()}' needs the reference's token log-probs", nameof(referenceTokenLogps));
        if (referenceTokenLogps is not null && !referenceTokenLogps.shape.SequenceEqual(policyTokenLogps.shape))
            throw new ArgumentException(
                $"{Name}: reference token log-probs {ObjectiveTensors.Shape(referenceTokenLogps)} must match the policy's {ObjectiveTensors.Shape(policyTokenLogps)}",
                nameof(referenceTokenLogps));
        if (variant != ALoLVariant.Nll && scores is null)
            throw new ArgumentException($"{Name}: variant '{variant.ToName()}' needs per-sequence {(variant.UsesAdvantage() ? "advantages" : "rewards")}", nameof(scores));

        using var scope = torch.NewDisposeScope();
        var dtype = ObjectiveTensors.LossPrecision(policyTokenLogps, referenceTokenLogps);
        long batch = policyTokenLogps.shape[0];
        var selected = ObjectiveTensors.Selected(completionMask);
        var zeros = torch.zeros(policyTokenLogps.shape, dtype: dtype, device: policyTokenLogps.device);
        var logps = torch.where(selected, policyTokenLogps.to_type(dtype), zeros);
        var tokenNll = logps.neg();
        var nll = tokenNll.sum(1);

        Tensor weight;
        if (variant == ALoLVariant.Nll) weight = torch.ones(batch, dtype: dtype, device: policyTokenLogps.device);
        else
        {
            var given = ObjectiveTensors.PerPairVector(scores!, Name, nameof(scores)).to_type(dtype).detach();
            ObjectiveTensors.RequireSameLength(Name, (logps, nameof(policyTokenLogps)), (given, nameof(scores)));
            weight = variant.UsesAdvantage() ? given.clamp_min(0) : given;
        }

        double low = 1 - Options.ClipEpsilon, high = 1 + Options.ClipEpsilon;
        Tensor? tokenLogRatio = null, sequenceLogRatio = null;
        if (referenceTokenLogps is not null)
        {
            var reference = torch.where(selected, referenceTokenLogps.to_type(dtype).detach(), zeros);
            tokenLogRatio = torch.where(selected, logps.detach() - reference, zeros);
            sequenceLogRatio = tokenLogRatio.sum(1);
        }

        Tensor perSequence;
        Tensor? ratio = null, clipped = null;
        switch (variant)
        {
            case ALoLVariant.Nll:
            case ALoLVariant.WeightedBc:
            case ALoLVariant.ALoLRefFree:
                perSequence = weight * nll;
                break;
            case ALoLVariant.ALoL:
            case ALoLVariant.RLoL:
                ratio = sequenceLogRatio!.exp();
                clipped = ratio.clamp(low, high);
                perSequence = weight * clipped * nll;
                break;
            case ALoLVariant.ALoLSeq:
                ratio = tokenLogRatio!.exp();
                clipped = ratio.clamp(low, high);
                perSequence = weight * (clipped * tokenNll).sum(1);
                break;
            case ALoLVariant.ALoLKl:
                // log π_θ − log π_ref with the gradient through the policy term only.
                var klEstimate = logps.sum(1) - (logps.detach().sum(1) - sequenceLogRatio!);
                perSequence = weight * nll + klEstimate.mul(Options.KlBeta);
                break;
            case ALoLVariant.RGold:
                var tokenWeight = logps.detach().exp().clamp_min(Options.GoldProbabilityFloor);
                perSequence = weight * (tokenWeight * tokenNll).sum(1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Options), variant, $"{Name}: unknown variant");
        }

        double denominator = sequenceNormaliser is { } n
            ? ObjectiveTensors.RequirePositiveNormaliser(n, Name, nameof(sequenceNormaliser))
            : batch;
        var loss = perSequence.sum().div(denominator);

        Dictionary<string, double> metrics;
        using (torch.no_grad())
        {
            long tokens = selected.sum().ToInt64();
            metrics = new Dictionary<string, double>
            {
                [MetricNames.Loss] = loss.ToDouble(),
                [MetricNames.CompletionTokens] = tokens,
                [MetricNames.NllPerToken] = tokens > 0 ? nll.sum().ToDouble() / tokens : double.NaN,
                [ALoLMetricNames.Weight] = weight.mean().ToDouble(),
            };
            if (ratio is not null && clipped is not null)
            {
                // Per-token ratios only count at completion positions (elsewhere they are exp(0) = 1 by construction).
                var counted = variant == ALoLVariant.ALoLSeq ? selected : torch.ones(batch, dtype: ScalarType.Bool);
                double count = Math.Max(1, counted.sum().ToInt64());
                metrics[ALoLMetricNames.Ratio] = clipped.masked_select(counted).sum().ToDouble() / count;
                metrics[ALoLMetricNames.ClipFraction] = ratio.ne(clipped).logical_and(counted).sum().ToDouble() / count;
            }
            if (sequenceLogRatio is not null) metrics[ALoLMetricNames.Kl] = sequenceLogRatio.mean().ToDouble();
        }
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }
}
