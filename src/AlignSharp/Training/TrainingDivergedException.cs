namespace AlignSharp.Training;

/// <summary>
/// A loss or gradient norm became NaN or infinite. The step's update was not applied; the newest
/// checkpoint on disk is the last good state.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(int step, string quantity, double value, string? lastGoodCheckpoint)
        : base(Describe(step, quantity, value, lastGoodCheckpoint))
    {
        Step = step;
        Quantity = quantity;
        Value = value;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>1-based number of the step whose update was refused.</summary>
    public int Step { get; }

    /// <summary>What was not finite: <c>loss</c> (with the micro-batch) or <c>grad_norm</c>.</summary>
    public string Quantity { get; }

    public double Value { get; }

    /// <summary>The newest complete checkpoint, or null when none had been written.</summary>
    public string? LastGoodCheckpoint { get; }

    static string Describe(int step, string quantity, double value, string? checkpoint) =>
        $"training stopped at step {step}: {quantity} is {value}; the update of step {step} was not applied. " +
        (checkpoint is null
            ? "No checkpoint had been written yet (save_steps = 0 or the run diverged before the first save)."
            : $"The last good checkpoint is '{checkpoint}'; resume from it with a lower learning_rate or max_grad_norm, or inspect the data of step {step}.");
}
