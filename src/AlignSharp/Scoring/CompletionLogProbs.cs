using static TorchSharp.torch;

namespace AlignSharp.Scoring;

/// <summary>
/// Differentiable completion log-probabilities of a batch, for training objectives. Row order is the
/// input order; completion tokens are laid out left-aligned and right-padded, and padding entries are
/// exactly 0 in <see cref="TokenLogProbs"/> (so sums need no mask). Owns its tensors.
/// </summary>
public sealed class CompletionLogProbs : IDisposable
{
    internal CompletionLogProbs(Tensor tokenLogProbs, Tensor completionMask, Tensor sum, Tensor tokenCount)
    {
        TokenLogProbs = tokenLogProbs;
        CompletionMask = completionMask;
        Sum = sum;
        TokenCount = tokenCount;
    }

    /// <summary>[batch, longest completion] fp32 log-probability of each completion token; 0 at padding.</summary>
    public Tensor TokenLogProbs { get; }

    /// <summary>[batch, longest completion] fp32: 1 for completion tokens, 0 for padding.</summary>
    public Tensor CompletionMask { get; }

    /// <summary>[batch] fp32 sequence log-probability: the sum over completion tokens.</summary>
    public Tensor Sum { get; }

    /// <summary>[batch] int64 number of completion tokens.</summary>
    public Tensor TokenCount { get; }

    public void Dispose()
    {
        TokenLogProbs.Dispose();
        CompletionMask.Dispose();
        Sum.Dispose();
        TokenCount.Dispose();
    }
}
