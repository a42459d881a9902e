namespace AlignSharp.Objectives;

/// <summary>How the summed completion-token NLL of a batch becomes one number.</summary>
public enum SftNormalisation
{
    /// <summary>
    /// Sum over every completion token in the batch divided by their count (TRL's default): each
    /// token weighs the same, so long completions weigh more than short ones. The default.
    /// </summary>
    TokenMean,

    /// <summary>
    /// Per-sequence sum (the sequence NLL, −log π(y|x)) averaged over sequences: each sequence
    /// weighs the same, and the loss scale grows with completion length.
    /// </summary>
    SequenceSum,
}

/// <summary>Options of <see cref="SftLoss"/>.</summary>
public sealed record SftOptions
{
    public SftNormalisation Normalisation { get; init; } = SftNormalisation.TokenMean;
}
