using static TorchSharp.torch;

namespace AlignSharp.Checkpoints;

/// <summary>
/// The storage bytes of a contiguous CPU tensor as spans over native memory, so data moves between a
/// file and a tensor without a managed copy of the tensor.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Spans are int-indexed: tensors above this size are walked in slices.</summary>
    public const long DefaultMaxChunkBytes = 1L << 30;

    public delegate void ChunkAction(Span<byte> chunk, long byteOffset);

    /// <summary>
    /// Calls <paramref name="action"/> on consecutive spans covering all of <paramref name="tensor"/>'s
    /// bytes, in order. The tensor must be a contiguous CPU tensor.
    /// </summary>
    public static void ForEachChunk(Tensor tensor, ChunkAction action, long maxChunkBytes = DefaultMaxChunkBytes)
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("expected a contiguous CPU tensor", nameof(tensor));
        long elements = tensor.NumberOfElements;
        if (elements == 0) return;
        long itemSize = tensor.ElementSize;
        if (elements * itemSize <= maxChunkBytes)
        {
            action(tensor.bytes, 0);
            return;
        }
        long elementsPerChunk = Math.Max(1, maxChunkBytes / itemSize);
        using Tensor flat = tensor.view(-1);
        for (long start = 0; start < elements; start += elementsPerChunk)
        {
            using Tensor part = flat.narrow(0, start, Math.Min(elementsPerChunk, elements - start));
            action(part.bytes, start * itemSize);
        }
    }
}
