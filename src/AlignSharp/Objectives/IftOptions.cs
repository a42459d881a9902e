namespace AlignSharp.Objectives;

/// <summary>How IFT's weighted token NLLs become one number.</summary>
public enum IftNormalisation
{
    /// <summary>
    /// Per sequence: Σ_t w_t·NLL_t / |M_b|, then the mean over sequences. What the official code and the paper's
    /// per-sequence weights (mean 1 per sequence) do. The default.
    /// </summary>
    SequenceMean,

    /// <summary>
    /// Σ_{b,t} w_t·NLL_t over the batch's completion-token count: <see cref="SftLoss"/>'s default normalisation,
    /// so that λ = 0, γ = 0 gives exactly the SFT loss with its defaults.
    /// </summary>
    TokenMean,
}

/// <summary>Options of <see cref="IftLoss"/> (algorithms.md §1; defaults are the official code's config/loss/ift.yaml).</summary>
public sealed record IftOptions
{
    /// <summary>γ, the discount of the future-loss sum behind each token's weight; 0 makes every weight 1 (as the code special-cases).</summary>
    public double Gamma { get; init; } = 0.95;

    /// <summary>
    /// False (the official code, the default): the weights are built from the differentiable token log-probs, so the
    /// gradient also flows through them (algorithms.md §1 pitfall 1). True: weights are constants (the paper's reading).
    /// </summary>
    public bool DetachWeights { get; init; }

    public IftNormalisation Normalisation { get; init; } = IftNormalisation.SequenceMean;

    public void Validate()
    {
        if (!(Gamma >= 0 && Gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "IFT: gamma must be in [0, 1]");
    }
}
