using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// Supervised fine-tuning: negative log-likelihood of the completion tokens,
/// L = −Σ_t log π(y_t | x, y_&lt;t), normalised per <see cref="SftNormalisation"/> (algorithms.md §9).
/// Prompt and padding positions never count: they are selected away (not multiplied by zero), so
/// even −inf or NaN there changes neither the loss nor the gradient.
/// </summary>
public sealed class SftLoss
{
    private const string Name = "SFT";

    public SftLoss(SftOptions? options = null) => Options = options ?? new SftOptions();

    public SftOptions Options { get; }

    /// <summary>
    /// <paramref name="tokenLogps"/>: [batch, time] log-prob of each position's target token.
    /// <paramref name="completionMask"/>: [batch, time], nonzero/true where the target is a completion token.
    /// <paramref name="normaliser"/>: the denominator; defaults to this batch's completion-token count
    /// (TokenMean) or sequence count (SequenceSum). Under gradient accumulation pass the count of the
    /// whole accumulated batch (see <see cref="CountCompletionTokens"/>) so that the micro-batch losses
    /// sum to the loss of the big batch; otherwise short micro-batches' tokens would weigh more.
    /// </summary>
    public ObjectiveOutput Compute(Tensor tokenLogps, Tensor completionMask, double? normaliser = null)
    {
        ArgumentNullException.ThrowIfNull(tokenLogps);
        ArgumentNullException.ThrowIfNull(completionMask);
        ObjectiveTensors.RequireTokenMatrix(tokenLogps, completionMask, Name, nameof(tokenLogps), "token log-probs", nameof(completionMask), "completion mask");

        using var scope = torch.NewDisposeScope();
        var logps = tokenLogps.to_type(ObjectiveTensors.LossPrecision(tokenLogps));
        var selected = ObjectiveTensors.Selected(completionMask);
        var nll = torch.where(selected, logps.neg(), torch.zeros_like(logps));
        var nllSum = nll.sum();
        long tokens = selected.sum().ToInt64();
        long sequences = tokenLogps.shape[0];

        double denominator = normaliser is { } given
            ? ObjectiveTensors.RequirePositiveNormaliser(given, Name, nameof(normaliser))
            : Options.Normalisation switch
            {
                SftNormalisation.TokenMean when tokens == 0 => throw new ArgumentException(
                    $"{Name}: the completion mask selects no token in this batch of {sequences} sequences, so the token mean is undefined; every sequence needs a non-empty completion",
                    nameof(completionMask)),
                SftNormalisation.TokenMean => tokens,
                SftNormalisation.SequenceSum => sequences,
                _ => throw new ArgumentOutOfRangeException(nameof(Options), Options.Normalisation, $"{Name}: unknown normalisation"),
            };

        var loss = nllSum.div(denominator);
        double nllTotal = nllSum.ToDouble();
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.Loss] = loss.ToDouble(),
            [MetricNames.CompletionTokens] = tokens,
            [MetricNames.NllPerToken] = tokens > 0 ? nllTotal / tokens : double.NaN,
        };
        return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), metrics);
    }

    /// <summary>Completion tokens selected by a mask: the TokenMean normaliser of a (micro-)batch.</summary>
    public static long CountCompletionTokens(Tensor completionMask)
    {
        ArgumentNullException.ThrowIfNull(completionMask);
        using var scope = torch.NewDisposeScope();
        return ObjectiveTensors.Selected(completionMask).sum().ToInt64();
    }
}
