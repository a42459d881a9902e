namespace AlignSharp.Checkpoints;

/// <summary>
/// One tensor's entry in a safetensors header. <see cref="Begin"/> and <see cref="End"/> are the
/// header's data_offsets: byte offsets relative to the start of the data region (after the header).
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of bytes the tensor occupies in the file.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Number of elements (1 for a 0-d scalar, 0 for an empty tensor).</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dim) => product * dim);
}
