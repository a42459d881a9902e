using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>Position ids for padded batches.</summary>
public static class PositionIds
{
    /// <summary>
    /// Positions [batch, time] that count only real tokens: cumsum(mask) − 1, with padding positions
    /// set to 1 as transformers does (their value is irrelevant but must be a valid index).
    /// Pass the slice for the new tokens when a cache holds the earlier ones.
    /// </summary>
    public static Tensor FromAttentionMask(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to(ScalarType.Int64);
        var positions = mask.cumsum(-1) - 1;
        return positions.masked_fill(mask.eq(0), 1).MoveToOuterDisposeScope();
    }
}
