using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// DPO and IPO from sequence log-probs (algorithms.md §9), model-independent like torchtune's DPOLoss:
/// h = (log π_θ(y_w|x) − log π_ref(y_w|x)) − (log π_θ(y_l|x) − log π_ref(y_l|x)), then
/// sigmoid: −(1−ε) log σ(βh) − ε log σ(−βh);  IPO: (h − 1/(2β))²;  mean over pairs.
/// The log-probs are sums over completion tokens; IPO divides them by the token counts first by
/// default (<see cref="IpoLogProbScale.TokenMean"/>, as TRL). The reference log-probs are constants:
/// they are detached, so no gradient reaches a reference that shares weights with the policy.
/// </summary>
public sealed class DpoLoss
{
    private const string Name = "DPO";

    public DpoLoss(DpoOptions? options = null)
    {
        Options = options ?? new DpoOptions();
        Options.Validate();
    }

    public DpoOptions Options { get; }

    /// <summary>True when <see cref="Compute"/> needs the completion token counts.</summary>
    public bool NeedsTokenCounts => Options.LossType == DpoLossType.Ipo && Options.IpoLogProbScale == IpoLogProbScale.TokenMean;

    /// <summary>
    /// All log-prob inputs: [batch] (or [batch, 1]) summed completion log-probs.
    /// <paramref name="chosenTokenCounts"/>, <paramref name="rejectedTokenCounts"/>: [batch] completion
    /// token counts, required only when <see cref="NeedsTokenCounts"/>.
    /// <paramref name="pairNormaliser"/>: the denominator of the mean; defaults to this batch's pair
    /// count (pass the accumulated batch's pair count under gradient accumulation).
    /// Metrics (TRL names, means over pairs, detached): <c>loss</c>; <c>rewards/chosen</c> = β(log π_w − log π_ref,w);
    /// <c>rewards/rejected</c>; <c>rewards/margins</c> = chosen − rejected; <c>rewards/accuracies</c> =
    /// fraction with chosen &gt; rejected (ties count as wrong); <c>logps/chosen</c>, <c>logps/rejected</c>
    /// = policy log-probs. All on the scale the loss used (per-token under TokenMean IPO).
    /// </summary>
    public ObjectiveOutput Compute(
        Tensor policyChosenLogps,
        Tensor policyRejectedLogps,
        Tensor referenceChosenLogps,
        Tensor referenceRejectedLogps,
        Tensor? chosenTokenCounts = null,
        Tensor? rejectedTokenCounts = null,
        double? pairNormaliser = null)
    {
        ArgumentNullException.ThrowIfNull(policyChosenLogps);
        ArgumentNullException.ThrowIfNull(policyRejectedLogps);
        ArgumentNullException.ThrowIfNull(referenceChosenLogps);
        ArgumentNullException.ThrowIfNull(referenceRejectedLogps);
        foreach (var (tensor, name) in new[]
                 {
                     (policyChosenLogps, nameof(policyChosenLogps)), (policyRejectedLogps, nameof(policyRejectedLogps)),
                     (referenceChosenLogps, nameof(referenceChosenLogps)), (referenceRejectedLogps, nameof(referenceRejectedLogps)),
                 })
            ObjectiveTensors.RequireFloating(tensor, Name, name);

        using var scope = torch.NewDisposeScope();
        var dtype = ObjectiveTensors.LossPrecision(policyChosenLogps, policyRejectedLogps, referenceChosenLogps, referenceRejectedLogps);
        var policyChosen = Vector(policyChosenLogps, nameof(policyChosenLogps), dtype);
        var policyRejected = Vector(policyRejectedLogps, nameof(policyRejectedLogps), dtype);
        var referenceChosen = Vector(referenceChosenLogps, nameof(referenceChosenLogps), dtype).detach();
        var referenceRejected = Vector(referenceRejectedLogps, nameof(referenceRejectedLogps), dtype).detach();
        ObjectiveTensors.RequireSameLength(Name,
            (policyChosen, nameof(policyChosenLogps)), (policyRejected, nameof(policyRejectedLogps)),
            (referenceChosen, nameof(referenceChosenLogps)), (referenceRejected, nameof(referenceRejectedLogps)));

        if (NeedsTokenCounts)
        {
            var chosenCounts = TokenCounts(chosenTokenCounts, nameof(chosenTokenCounts), dtype, policyChosen);
            var rejectedCounts = TokenCounts(rejectedTokenCounts, nameof(rejectedTokenCounts), dtype, policyChosen);
            policyChosen = policyChosen / chosenCounts;
            referenceChosen = referenceChosen / chosenCounts;
            policyRejected = policyRejected / rejectedCounts;
            referenceRejected = referenceRejected / rejectedCounts;
        }

        double beta = Options.Beta;
        var chosenLogRatio = policyChosen - referenceChosen;
        var rejectedLogRatio = policyRejected - referenceRejected;
        var h = chosenLogRatio - rejectedLogRatio;

        var perPair = Options.LossType switch
        {
            DpoLossType.Sigmoid => SigmoidLoss(h, beta, Options.LabelSmoothing),
            DpoLossType.Ipo => (h - 1.0 / (2.0 * beta)).square(),
            _ => throw new ArgumentOutOfRangeException(nameof(Options), Options.LossType, $"{Name}: unknown loss type"),
        };

        long pairs = policyChosen.shape[0];
        double denominator = pairNormaliser is { } given
            ? ObjectiveTensors.RequirePositiveNormaliser(given, Name, nameof(pairNormaliser))
            : pairs;
        var loss = perPair.sum().div(denominator);

        var metrics = PreferenceMetrics.Of(loss, chosenLogRatio.detach().mul(beta), rejectedLogRatio.detach().mul(beta),
            policyChosen, policyRejected, dtype);
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }

    // Conservative DPO (Mitchell, 2023): the label is right with probability 1 − ε.
    private static Tensor SigmoidLoss(Tensor h, double beta, double labelSmoothing)
    {
        var loss = torch.nn.functional.logsigmoid(h.mul(beta)).mul(-(1.0 - labelSmoothing));
        if (labelSmoothing > 0)
            loss = loss - torch.nn.functional.logsigmoid(h.mul(-beta)).mul(labelSmoothing);
        return loss;
    }

    private static Tensor Vector(Tensor tensor, string name, ScalarType dtype) =>
        ObjectiveTensors.PerPairVector(tensor, Name, name).to_type(dtype);

    private static Tensor TokenCounts(Tensor? counts, string name, ScalarType dtype, Tensor like)
    {
        if (counts is null)
            throw new ArgumentException(
                $"{Name}: loss_type 'ipo' with per-token log-probs (IpoLogProbScale.TokenMean, TRL's convention) needs {name}; pass the completion token counts or choose IpoLogProbScale.Sum",
                name);
        var vector = ObjectiveTensors.PerPairVector(counts, Name, name).to_type(dtype);
        ObjectiveTensors.RequireSameLength(Name, (like, "the log-probs"), (vector, name));
        if (vector.le(0).any().ToBoolean())
            throw new ArgumentException($"{Name}: {name} must all be positive (an empty completion has no per-token mean)", name);
        return vector;
    }
}
