namespace AlignSharp.Objectives;

/// <summary>
/// λ per optimizer step, the official code's <c>lambda_schedule</c>: constant <see cref="Max"/>, or (with
/// <see cref="WarmupSteps"/> &gt; 0) a linear ramp from <see cref="Min"/> to <see cref="Max"/> over the warmup steps.
/// Defaults (0.2, 0.2) are the code's and the paper's λ. The code's optional multiplicative Gaussian disturbance is not implemented.
/// </summary>
public sealed record IftLambdaSchedule
{
    public double Min { get; init; } = 0.2;
    public double Max { get; init; } = 0.2;
    public int WarmupSteps { get; init; }

    /// <summary>λ at 0-based optimizer step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (WarmupSteps <= 0 || step >= WarmupSteps) return Max;
        return Min + (Max - Min) * Math.Max(step, 0) / WarmupSteps;
    }

    public void Validate()
    {
        if (!(Min >= 0 && Min <= 1) || !(Max >= 0 && Max <= 1))
            throw new ArgumentOutOfRangeException(nameof(Max), $"IFT: min_lambda ({Min}) and max_lambda ({Max}) must be in [0, 1]");
        if (WarmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "IFT: lambda warmup steps must be >= 0");
    }
}
