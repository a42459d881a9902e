namespace AlignSharp.Objectives;

/// <summary>The DPO-family loss applied to h = (log π_w − log π_ref,w) − (log π_l − log π_ref,l).</summary>
public enum DpoLossType
{
    /// <summary>−(1−ε) log σ(βh) − ε log σ(−βh): DPO, and conservative DPO when ε = label_smoothing &gt; 0.</summary>
    Sigmoid,

    /// <summary>(h − 1/(2β))²: IPO (Azar et al., 2023, eq. 17, β playing τ).</summary>
    Ipo,
}

/// <summary>Which log-probabilities IPO's h is built from.</summary>
public enum IpoLogProbScale
{
    /// <summary>
    /// Per-token means: each sequence log-prob (policy and reference) divided by its completion
    /// token count, as TRL does for <c>loss_type="ipo"</c>. The default, so a β tuned with TRL means
    /// the same here; the logged <c>logps/*</c> and <c>rewards/*</c> are then per-token too.
    /// </summary>
    TokenMean,

    /// <summary>Sequence sums, as algorithms.md §9 writes the formula (log π is a sum throughout).</summary>
    Sum,
}

/// <summary>Config names (TRL's <c>loss_type</c> strings) of <see cref="DpoLossType"/>.</summary>
public static class DpoLossTypes
{
    public static IReadOnlyList<string> KnownNames { get; } = ["sigmoid", "ipo"];

    public static DpoLossType Parse(string name) => name switch
    {
        "sigmoid" => DpoLossType.Sigmoid,
        "ipo" => DpoLossType.Ipo,
        _ => throw new ArgumentException(
            $"unknown DPO loss_type '{name}'; known: {string.Join(", ", KnownNames)}", nameof(name)),
    };

    public static string ToName(this DpoLossType type) => type switch
    {
        DpoLossType.Sigmoid => "sigmoid",
        DpoLossType.Ipo => "ipo",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown DPO loss type"),
    };
}

/// <summary>Options of <see cref="DpoLoss"/>; names follow TRL's DPOConfig.</summary>
public sealed record DpoOptions
{
    /// <summary>β: the strength of the implicit KL constraint to the reference (TRL default 0.1).</summary>
    public double Beta { get; init; } = 0.1;

    public DpoLossType LossType { get; init; } = DpoLossType.Sigmoid;

    /// <summary>ε of conservative DPO: the probability that a preference label is flipped. Sigmoid loss only.</summary>
    public double LabelSmoothing { get; init; }

    public IpoLogProbScale IpoLogProbScale { get; init; } = IpoLogProbScale.TokenMean;

    /// <summary>Throws a clear error for settings that have no meaning, instead of ignoring them.</summary>
    public void Validate()
    {
        if (!(Beta > 0) || !double.IsFinite(Beta))
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "DPO: beta must be a positive finite number");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 0.5))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing,
                "DPO: label_smoothing must be in [0, 0.5) (the probability that a preference label is flipped)");
        if (LossType == DpoLossType.Ipo && LabelSmoothing != 0)
            throw new ArgumentException(
                $"DPO: label_smoothing = {LabelSmoothing} has no effect with loss_type 'ipo'; it applies to 'sigmoid' only",
                nameof(LabelSmoothing));
    }
}
