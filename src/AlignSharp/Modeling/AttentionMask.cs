using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Modeling;

/// <summary>
/// The additive attention mask [batch, 1, query, key]: 0 where a query may attend, the dtype's
/// most negative finite value elsewhere. Finite (not -inf) so that a query with nothing to attend
/// to (a left-padding position) gets a uniform softmax instead of NaN, as transformers does.
/// </summary>
public static class AttentionMask
{
    /// <summary>
    /// Returns null when plain causal attention over the whole key range is exactly right
    /// (no padding, no cached prefix or a single query, no sliding window cut), so SDPA can use its causal kernel.
    /// <paramref name="documentIds"/> [batch, time] (packed rows, no cache): a query attends only to keys of its own
    /// document, so the mask is block-diagonal causal; null leaves the mask exactly as without packing.
    /// </summary>
    public static Tensor? Build(Tensor? paddingMask, long batch, long queryLength, long pastLength, int? slidingWindow, ScalarType dtype, Device device, Tensor? documentIds = null)
    {
        if (documentIds is not null)
        {
            if (pastLength != 0) throw new ArgumentException("packed rows (document ids) cannot be combined with a KV cache");
            if (documentIds.shape.Length != 2 || documentIds.shape[0] != batch || documentIds.shape[1] != queryLength)
                throw new ArgumentException($"document ids have shape [{string.Join(", ", documentIds.shape)}], expected [{batch}, {queryLength}]");
        }
        long keyLength = pastLength + queryLength;
        if (paddingMask is not null && (paddingMask.shape.Length != 2 || paddingMask.shape[0] != batch || paddingMask.shape[1] != keyLength))
            throw new ArgumentException(
                $"attention mask has shape [{string.Join(", ", paddingMask.shape)}], expected [{batch}, {keyLength}] (cached {pastLength} + new {queryLength} positions)");
        bool windowCuts = slidingWindow is int w && keyLength > w;
        if (paddingMask is null && documentIds is null && !windowCuts && (pastLength == 0 || queryLength == 1)) return null;

        using var scope = NewDisposeScope();
        var queryPositions = arange(pastLength, keyLength, device: device).unsqueeze(1); // [q, 1]
        var keyPositions = arange(0, keyLength, device: device).unsqueeze(0);            // [1, k]
        var allowed = keyPositions.le(queryPositions);
        if (slidingWindow is int window) allowed = allowed.logical_and(keyPositions.gt(queryPositions - window));
        allowed = allowed.unsqueeze(0).unsqueeze(0); // [1, 1, q, k]
        if (paddingMask is not null)
            allowed = allowed.logical_and(paddingMask.ne(0).unsqueeze(1).unsqueeze(1));
        if (documentIds is not null) // same document: [b, 1, q, 1] == [b, 1, 1, k]
            allowed = allowed.logical_and(documentIds.unsqueeze(1).unsqueeze(3).eq(documentIds.unsqueeze(1).unsqueeze(2)));
        var mask = zeros([allowed.shape[0], 1, queryLength, keyLength], dtype, device)
            .masked_fill(allowed.logical_not(), MostNegative(dtype));
        if (mask.shape[0] != batch) mask = mask.expand(batch, 1, queryLength, keyLength);
        return mask.MoveToOuterDisposeScope();
    }

    static double MostNegative(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        _ => throw new NotSupportedException($"attention in {dtype}"),
    };
}
