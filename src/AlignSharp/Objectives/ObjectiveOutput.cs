using static TorchSharp.torch;

namespace AlignSharp.Objectives;

/// <summary>
/// What every objective returns: a scalar loss that carries the autograd graph back to its inputs,
/// and plain-number metrics (TRL names, detached, means over this batch unless a key says otherwise).
/// The metric <c>loss</c> is always the value of <see cref="Loss"/>, so under gradient accumulation
/// the step's loss is the sum of the micro-batches' <c>loss</c> values when each was given the
/// accumulated batch's normaliser.
/// </summary>
public sealed class ObjectiveOutput : IDisposable
{
    public ObjectiveOutput(Tensor loss, IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(metrics);
        if (loss.NumberOfElements != 1)
            throw new ArgumentException($"an objective's loss must be a scalar, got shape [{string.Join(", ", loss.shape)}]", nameof(loss));
        Loss = loss;
        Metrics = metrics;
    }

    /// <summary>Scalar loss; owned by this object (disposed with it).</summary>
    public Tensor Loss { get; }

    /// <summary>Detached metrics by TRL name (see <see cref="MetricNames"/>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    public void Dispose() => Loss.Dispose();
}
