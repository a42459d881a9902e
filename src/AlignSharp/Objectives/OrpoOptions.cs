namespace AlignSharp.Objectives;

/// <summary>Options of <see cref="OrpoLoss"/>; names follow TRL's ORPOConfig.</summary>
public sealed record OrpoOptions
{
    /// <summary>β (λ in the ORPO paper): weight of the odds-ratio term. TRL's default 0.1; the IFT paper's baseline used 0.25.</summary>
    public double Beta { get; init; } = 0.1;

    public void Validate()
    {
        if (!(Beta >= 0) || !double.IsFinite(Beta))
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "ORPO: beta must be a finite number >= 0");
    }
}
