using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Generation;

/// <summary>Logit filters for sampling; a removed token gets -inf. Inputs are [rows, vocab].</summary>
public static class SamplingFilters
{
    /// <summary>Keeps the <paramref name="k"/> largest logits of each row (ties with the k-th are kept); k ≤ 0 keeps all.</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        if (k <= 0 || k >= logits.shape[^1]) return logits.alias();
        using var scope = NewDisposeScope();
        Tensor kth = logits.topk(k, dim: -1).values.narrow(-1, k - 1, 1);
        return logits.masked_fill(logits.lt(kth), float.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps, per row, the smallest set of most likely tokens whose total probability reaches
    /// <paramref name="p"/> (the nucleus); a token is dropped when the tokens before it already reach p.
    /// The most likely token is always kept; p ≥ 1 keeps all.
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        if (p >= 1) return logits.alias();
        using var scope = NewDisposeScope();
        var (sorted, order) = logits.sort(-1, descending: true);
        Tensor probs = sorted.to_type(ScalarType.Float32).softmax(-1);
        Tensor massBefore = probs.cumsum(-1) - probs;
        Tensor dropSorted = massBefore.ge(p);
        Tensor drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);
        return logits.masked_fill(drop, float.NegativeInfinity).MoveToOuterDisposeScope();
    }
}
