using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// ORPO (Hong et al., 2024), as TRL computes it: L = NLL(chosen) − β·mean_b log σ(log-odds), with the chosen NLL a
/// token mean over the batch's chosen completion tokens, a = per-sequence mean token log-prob (TRL's average log-prob)
/// and log-odds = (a_w − a_l) − (log(1 − e^{a_w}) − log(1 − e^{a_l})). No reference model. β = 0 is the chosen NLL.
/// Inputs are [batch, time] token log-probs and masks, so any policy (an LM or a tabular one) can use it.
/// </summary>
public sealed class OrpoLoss
{
    private const string Name = "ORPO";
    public const string NllLossMetric = "nll_loss";
    public const string LogOddsRatioMetric = "log_odds_ratio";
    public const string LogOddsChosenMetric = "log_odds_chosen";

    public OrpoLoss(OrpoOptions? options = null)
    {
        Options = options ?? new OrpoOptions();
        Options.Validate();
    }

    public OrpoOptions Options { get; }

    /// <summary>
    /// Token log-probs and masks of the chosen and rejected completions, [batch, time] each (the two widths may differ).
    /// <paramref name="pairNormaliser"/> / <paramref name="chosenTokenNormaliser"/>: pairs and chosen tokens of the whole
    /// optimizer step under gradient accumulation; default this batch's.
    /// </summary>
    public ObjectiveOutput Compute(Tensor chosenTokenLogps, Tensor chosenMask, Tensor rejectedTokenLogps, Tensor rejectedMask,
        double? pairNormaliser = null, double? chosenTokenNormaliser = null)
    {
        ArgumentNullException.ThrowIfNull(chosenTokenLogps);
        ArgumentNullException.ThrowIfNull(chosenMask);
        ArgumentNullException.ThrowIfNull(rejectedTokenLogps);
        ArgumentNullException.ThrowIfNull(rejectedMask);
        ObjectiveTensors.RequireTokenMatrix(chosenTokenLogps, chosenMask, Name, nameof(chosenTokenLogps), "chosen token log-probs", nameof(chosenMask), "mask");
        ObjectiveTensors.RequireTokenMatrix(rejectedTokenLogps, rejectedMask, Name, nameof(rejectedTokenLogps), "rejected token log-probs", nameof(rejectedMask), "mask");
        if (chosenTokenLogps.shape[0] != rejectedTokenLogps.shape[0] || chosenTokenLogps.shape[0] == 0)
            throw new ArgumentException($"{Name}: chosen ({chosenTokenLogps.shape[0]}) and rejected ({rejectedTokenLogps.shape[0]}) must have the same non-zero number of rows");

        using var scope = torch.NewDisposeScope();
        var type = ObjectiveTensors.LossPrecision(chosenTokenLogps, rejectedTokenLogps);
        var (chosenSum, chosenCount) = MaskedSum(chosenTokenLogps.to_type(type), chosenMask, "chosen");
        var (rejectedSum, rejectedCount) = MaskedSum(rejectedTokenLogps.to_type(type), rejectedMask, "rejected");
        var chosenMean = chosenSum.div(chosenCount);
        var rejectedMean = rejectedSum.div(rejectedCount);
        // log(1 − e^a) as log(−expm1(a)): accurate when a is near 0 (a likely sequence).
        var logOdds = chosenMean.sub(rejectedMean).sub(chosenMean.expm1().neg().log().sub(rejectedMean.expm1().neg().log()));
        var ratio = nn.functional.logsigmoid(logOdds);

        double pairs = pairNormaliser is { } p ? ObjectiveTensors.RequirePositiveNormaliser(p, Name, nameof(pairNormaliser)) : chosenTokenLogps.shape[0];
        double tokens = chosenTokenNormaliser is { } c ? ObjectiveTensors.RequirePositiveNormaliser(c, Name, nameof(chosenTokenNormaliser)) : chosenCount.sum().ToDouble();
        var nll = chosenSum.sum().neg().div(tokens);
        var loss = nll.sub(ratio.sum().mul(Options.Beta / pairs));

        double beta = Options.Beta;
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Loss] = loss.ToDouble(),
            [NllLossMetric] = nll.ToDouble(),
            [LogOddsRatioMetric] = ratio.mean().ToDouble(),
            [LogOddsChosenMetric] = logOdds.mean().ToDouble(),
            [MetricNames.RewardsChosen] = beta * chosenMean.mean().ToDouble(),
            [MetricNames.RewardsRejected] = beta * rejectedMean.mean().ToDouble(),
            [MetricNames.RewardsMargins] = beta * chosenMean.sub(rejectedMean).mean().ToDouble(),
            [MetricNames.RewardsAccuracies] = chosenMean.gt(rejectedMean).to_type(type).mean().ToDouble(),
            [MetricNames.LogpsChosen] = chosenMean.mean().ToDouble(),
            [MetricNames.LogpsRejected] = rejectedMean.mean().ToDouble(),
        };
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }

    static (Tensor Sum, Tensor Count) MaskedSum(Tensor logps, Tensor mask, string side)
    {
        var selected = ObjectiveTensors.Selected(mask);
        var count = selected.sum(1, type: logps.dtype);
        if (count.min().ToDouble() == 0)
            throw new ArgumentException($"{Name}: a {side} completion has no token, so its mean log-prob is undefined; every pair needs non-empty completions");
        return (torch.where(selected, logps, torch.zeros_like(logps)).sum(1), count);
    }
}
