namespace AlignSharp.Objectives;

/// <summary>How GRPO aggregates its per-token losses (TRL's <c>loss_type</c>).</summary>
public enum GrpoLossType
{
    /// <summary>Each completion's token mean, then the mean over completions (the GRPO paper; short completions weigh more per token).</summary>
    Grpo,
    /// <summary>Token mean over each micro-batch, then the mean over micro-batches (TRL's bnpo: depends on how the step is split).</summary>
    Bnpo,
    /// <summary>Token sum ÷ (completions × max_completion_length) (Dr. GRPO: a constant normaliser, no length bias).</summary>
    DrGrpo,
    /// <summary>Token sum ÷ the trained tokens of the whole optimizer step (DAPO; TRL's default).</summary>
    Dapo,
}

/// <summary>
/// GRPO's loss settings with TRL's GRPOConfig keys. Defaults are TRL's: <c>loss_type</c> dapo (every trained token of
/// the step weighs the same, whatever its completion's length and however the step is cut into micro-batches),
/// <c>epsilon</c> 0.2, <c>epsilon_high</c> = epsilon, <c>beta</c> 0 (no reference model is loaded).
/// </summary>
public sealed record GrpoOptions
{
    public GrpoLossType LossType { get; init; } = GrpoLossType.Dapo;

    /// <summary>Lower clip: the ratio is clipped below at 1 − epsilon.</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clip (DAPO's clip-higher recommends 0.28); null means <see cref="Epsilon"/>.</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>Weight of the per-token KL to the reference in the loss; 0 loads no reference.</summary>
    public double Beta { get; init; }

    /// <summary>The KL estimator in the loss (TRL: k3).</summary>
    public KlEstimatorKind KlEstimator { get; init; } = KlEstimatorKind.K3;

    public double UpperClip => EpsilonHigh ?? Epsilon;

    public void Validate()
    {
        if (!(Epsilon >= 0 && Epsilon < 1)) throw new ArgumentException($"epsilon = {Epsilon}: must be in [0, 1)");
        if (EpsilonHigh is double high && !(high >= 0 && double.IsFinite(high))) throw new ArgumentException($"epsilon_high = {high}: must be ≥ 0");
        if (!(Beta >= 0 && double.IsFinite(Beta))) throw new ArgumentException($"beta = {Beta}: must be ≥ 0");
    }

    public static GrpoLossType ParseLossType(string name) => name.Trim().ToLowerInvariant() switch
    {
        "grpo" => GrpoLossType.Grpo,
        "bnpo" => GrpoLossType.Bnpo,
        "dr_grpo" => GrpoLossType.DrGrpo,
        "dapo" => GrpoLossType.Dapo,
        _ => throw new ArgumentException($"loss_type = {name}: GRPO supports grpo, bnpo, dr_grpo and dapo"),
    };
}
