using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// MODPO (Zhou et al., 2024; algorithms.md §2), as the official <c>modpo_loss</c> computes it. Per response
/// R(y) = (1/w_k)·(β[log π_θ(y|x) − log π_ref(y|x)] − Σ_j w_j r_j(x, y)), logits = R(y_w) − R(y_l);
/// sigmoid: −log σ(logits), hinge: max(0, 1 − logits); mean over pairs. The margin rewards r_j are frozen
/// scorers of the other objectives, subtracted inside each response's reward (pitfall 1: a cost model
/// must be negated first). Log-probs are sums over completion tokens. At the optimum
/// β·log π_θ/π_ref = w_k r_k + Σ_j w_j r_j + c(x). With w = (1) and no margins this is DPO exactly.
/// </summary>
public sealed class ModpoLoss
{
    private const string Name = "MODPO";

    public ModpoLoss(ModpoOptions? options = null)
    {
        Options = options ?? new ModpoOptions();
        Options.Validate();
    }

    public ModpoOptions Options { get; }

    /// <summary>
    /// Log-prob inputs: [batch] (or [batch, 1]) summed completion log-probs. <paramref name="chosenMargins"/>,
    /// <paramref name="rejectedMargins"/>: [batch, m] margin rewards (m = <see cref="ModpoOptions.MarginCount"/>;
    /// [batch] is accepted when m = 1; may be null when m = 0), constants: detached like the reference.
    /// <paramref name="pairNormaliser"/>: the denominator of the mean (defaults to this batch's pair count).
    /// Metrics: TRL's DPO names on the implicit reward β·log π/π_ref (<c>rewards/chosen</c>, …, <c>logps/*</c>), plus
    /// <c>margin_rewards/chosen</c>, <c>margin_rewards/rejected</c> = mean Σ_j w_j r_j and
    /// <c>modpo/logits</c> = mean R(y_w) − R(y_l), the quantity the loss acts on.
    /// </summary>
    public ObjectiveOutput Compute(
        Tensor policyChosenLogps,
        Tensor policyRejectedLogps,
        Tensor referenceChosenLogps,
        Tensor referenceRejectedLogps,
        Tensor? chosenMargins,
        Tensor? rejectedMargins,
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
        var dtype = ObjectiveTensors.LossPrecision(policyChosenLogps, policyRejectedLogps, referenceChosenLogps, referenceRejectedLogps, chosenMargins, rejectedMargins);
        var policyChosen = Vector(policyChosenLogps, nameof(policyChosenLogps), dtype);
        var policyRejected = Vector(policyRejectedLogps, nameof(policyRejectedLogps), dtype);
        var referenceChosen = Vector(referenceChosenLogps, nameof(referenceChosenLogps), dtype).detach();
        var referenceRejected = Vector(referenceRejectedLogps, nameof(referenceRejectedLogps), dtype).detach();
        ObjectiveTensors.RequireSameLength(Name,
            (policyChosen, nameof(policyChosenLogps)), (policyRejected, nameof(policyRejectedLogps)),
            (referenceChosen, nameof(referenceChosenLogps)), (referenceRejected, nameof(referenceRejectedLogps)));
        long pairs = policyChosen.shape[0];

        double beta = Options.Beta, wk = Options.Weights[0];
        var chosenImplicit = (policyChosen - referenceChosen).mul(beta);
        var rejectedImplicit = (policyRejected - referenceRejected).mul(beta);
        var chosenMargin = WeightedMargin(chosenMargins, nameof(chosenMargins), pairs, dtype);
        var rejectedMargin = WeightedMargin(rejectedMargins, nameof(rejectedMargins), pairs, dtype);

        // The official code's order: subtract the margin per response, scale by 1/w_k, then take the difference.
        var chosenR = (chosenImplicit - chosenMargin).div(wk);
        var rejectedR = (rejectedImplicit - rejectedMargin).div(wk);
        var logits = chosenR - rejectedR;
        var perPair = Options.LossType switch
        {
            ModpoLossType.Sigmoid => torch.nn.functional.logsigmoid(logits).neg(),
            ModpoLossType.Hinge => torch.nn.functional.relu(logits.neg().add(1.0)),
            _ => throw new ArgumentOutOfRangeException(nameof(Options), Options.LossType, $"{Name}: unknown loss type"),
        };

        double denominator = pairNormaliser is { } given
            ? ObjectiveTensors.RequirePositiveNormaliser(given, Name, nameof(pairNormaliser))
            : pairs;
        var loss = perPair.sum().div(denominator);

        var metrics = PreferenceMetrics.Of(loss, chosenImplicit, rejectedImplicit, policyChosen, policyRejected, dtype);
        metrics[ModpoMetricNames.MarginRewardsChosen] = chosenMargin.detach().mean().ToDouble();
        metrics[ModpoMetricNames.MarginRewardsRejected] = rejectedMargin.detach().mean().ToDouble();
        metrics[ModpoMetricNames.Logits] = logits.detach().mean().ToDouble();
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }

    /// <summary>Σ_j w_j r_j per pair: [batch], zeros when there are no margin scorers.</summary>
    private Tensor WeightedMargin(Tensor? margins, string name, long pairs, ScalarType dtype)
    {
        int m = Options.MarginCount;
        if (margins is null)
        {
            if (m != 0)
                throw new ArgumentException($"{Name}: {name} is missing but the weights {Format(Options.Weights)} name {m} margin scorer(s)", name);
            return torch.zeros(pairs, dtype: dtype);
        }
        ObjectiveTensors.RequireFloating(margins, Name, name);
        var matrix = margins.dim() == 1 ? margins.unsqueeze(1) : margins;
        if (matrix.dim() != 2 || matrix.shape[0] != pairs || matrix.shape[1] != m)
            throw new ArgumentException(
                $"{Name}: {name} must have shape [{pairs}, {m}] (one column per margin scorer of the weights {Format(Options.Weights)}), got {ObjectiveTensors.Shape(margins)}", name);
        var weights = torch.tensor(Options.Weights.Skip(1).ToArray(), dtype: ScalarType.Float64).to_type(dtype);
        return matrix.detach().to_type(dtype).matmul(weights);
    }

    private static string Format(IReadOnlyList<double> weights) =>
        "(" + string.Join(", ", weights.Select(w => w.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + ")";

    private static Tensor Vector(Tensor tensor, string name, ScalarType dtype) =>
        ObjectiveTensors.PerPairVector(tensor, Name, name).to_type(dtype);
}
