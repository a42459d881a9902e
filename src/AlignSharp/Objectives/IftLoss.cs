using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// Intuitive Fine-Tuning's loss (Hua et al., 2024; algorithms.md §1, as the official code computes it):
/// token NLLs −ℓ_t of the gold targets (already computed under the λ-mixed inputs, see <see cref="IftInputs"/>)
/// weighted by w_t = W_t·|M|/Σ_{j∈M} W_j with W_t = Σ_{j≥t} γ^{j−t}·(−ℓ_j/|M|): each token carries its discounted
/// future loss, weights average 1 per sequence, earlier tokens weigh more. Works on any [batch, time] log-probs
/// and mask (an LM's completion tokens or a tabular policy's actions), like <see cref="SftLoss"/>.
/// With γ = 0 every weight is 1 and the loss is SFT's (per-sequence or token mean per <see cref="IftNormalisation"/>).
/// </summary>
public sealed class IftLoss
{
    private const string Name = "IFT";

    /// <summary>Mean of the weights on the first completion token of each sequence: how much IFT tilts towards early tokens.</summary>
    public const string FirstTokenWeightMetric = "ift/first_token_weight";

    public IftLoss(IftOptions? options = null)
    {
        Options = options ?? new IftOptions();
        Options.Validate();
    }

    public IftOptions Options { get; }

    /// <summary>
    /// [batch, time] weights w_t (0 outside the mask; each row with a completion averages 1 over it).
    /// Differentiable through <paramref name="tokenLogps"/> unless <paramref name="detach"/>.
    /// </summary>
    public static Tensor Weights(Tensor tokenLogps, Tensor completionMask, double gamma, bool detach)
    {
        ArgumentNullException.ThrowIfNull(tokenLogps);
        ArgumentNullException.ThrowIfNull(completionMask);
        using var scope = torch.NewDisposeScope();
        var selected = ObjectiveTensors.Selected(completionMask);
        var logps = tokenLogps.to_type(ObjectiveTensors.LossPrecision(tokenLogps));
        var zeros = torch.zeros_like(logps);
        // The official code returns all-ones weights at γ = 0 (not the γ→0 limit, which is loss-proportional).
        if (gamma == 0) return torch.where(selected, torch.ones_like(logps), zeros).MoveToOuterDisposeScope();
        var source = detach ? logps.detach() : logps;
        var count = selected.sum(1, keepdim: true, type: source.dtype);
        var perToken = torch.where(selected, source.neg().div(count.clamp_min(1)), zeros);
        var future = DiscountedFutureSum(perToken, gamma);
        future = torch.where(selected, future, zeros);
        var total = future.sum(1, keepdim: true);
        // Rows without a completion stay all-zero instead of 0/0.
        var scale = torch.where(count > 0, count.div(torch.where(total != 0, total, torch.ones_like(total))), torch.zeros_like(count));
        return future.mul(scale).MoveToOuterDisposeScope();
    }

    /// <summary>y_t = Σ_{j≥t} γ^{j−t} x_j along dim 1 (torch_discounted_cumsum's <c>discounted_cumsum_right</c>).</summary>
    public static Tensor DiscountedFutureSum(Tensor x, double gamma)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        long time = x.shape[1];
        var columns = new Tensor[time];
        Tensor running = torch.zeros_like(x.select(1, 0));
        for (long t = time - 1; t >= 0; t--)
        {
            running = x.select(1, t).add(running.mul(gamma));
            columns[t] = running;
        }
        return torch.stack(columns, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="tokenLogps"/>: [batch, time] log-prob of each position's gold target under the mixed inputs.
    /// <paramref name="completionMask"/>: [batch, time], nonzero where the target is trained on.
    /// <paramref name="normaliser"/>: the denominator; defaults to the batch's sequence count (SequenceMean, applied
    /// after each sequence's own token mean) or completion-token count (TokenMean). Under gradient accumulation pass the
    /// whole optimizer step's count so the micro-batch losses sum to the big batch's loss.
    /// </summary>
    public ObjectiveOutput Compute(Tensor tokenLogps, Tensor completionMask, double? normaliser = null)
    {
        ArgumentNullException.ThrowIfNull(tokenLogps);
        ArgumentNullException.ThrowIfNull(completionMask);
        ObjectiveTensors.RequireTokenMatrix(tokenLogps, completionMask, Name, nameof(tokenLogps), "token log-probs", nameof(completionMask), "completion mask");

        using var scope = torch.NewDisposeScope();
        var logps = tokenLogps.to_type(ObjectiveTensors.LossPrecision(tokenLogps));
        var selected = ObjectiveTensors.Selected(completionMask);
        long tokens = selected.sum().ToInt64();
        long sequences = tokenLogps.shape[0];
        if (tokens == 0)
            throw new ArgumentException($"{Name}: the completion mask selects no token in this batch of {sequences} sequences", nameof(completionMask));
        var perSequenceCount = selected.sum(1, type: logps.dtype);
        if (Options.Normalisation == IftNormalisation.SequenceMean && perSequenceCount.min().ToDouble() == 0)
            throw new ArgumentException($"{Name}: a sequence has no completion token, so its per-sequence mean is undefined", nameof(completionMask));

        var weights = Weights(logps, selected, Options.Gamma, Options.DetachWeights);
        var nll = torch.where(selected, logps.neg(), torch.zeros_like(logps));
        var weighted = weights.mul(nll);
        Tensor numerator = Options.Normalisation == IftNormalisation.SequenceMean
            ? weighted.sum(1).div(perSequenceCount).sum()
            : weighted.sum();
        double denominator = normaliser is { } given
            ? ObjectiveTensors.RequirePositiveNormaliser(given, Name, nameof(normaliser))
            : Options.Normalisation == IftNormalisation.SequenceMean ? sequences : tokens;
        var loss = numerator.div(denominator);

        var firstIndex = selected.to_type(ScalarType.Int64).argmax(1, keepdim: true);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Loss] = loss.ToDouble(),
            [MetricNames.CompletionTokens] = tokens,
            [MetricNames.NllPerToken] = nll.sum().ToDouble() / tokens,
            [FirstTokenWeightMetric] = weights.detach().gather(1, firstIndex).mean().ToDouble(),
        };
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }
}
