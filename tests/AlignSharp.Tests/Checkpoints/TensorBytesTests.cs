using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

/// <summary>
/// The slicing that lets tensors over 2 GiB (beyond a Span's int length) be read and written,
/// exercised with tiny chunks so no test allocates gigabytes.
/// </summary>
public class TensorBytesTests
{
    [Theory]
    [InlineData(8, 5)]        // 2 float32 elements per chunk, 10 elements
    [InlineData(12, 4)]       // 3 per chunk: the last chunk is short
    [InlineData(1, 10)]       // smaller than one element: still one element per chunk
    [InlineData(1 << 30, 1)]
    public void ChunksCoverTheTensorInOrder(long maxChunkBytes, int expectedChunks)
    {
        using Tensor tensor = torch.arange(10, dtype: ScalarType.Float32).mul(1.5).reshape(2, 5);
        var collected = new List<byte>();
        var offsets = new List<long>();
        TensorBytes.ForEachChunk(tensor, (chunk, offset) =>
        {
            offsets.Add(offset);
            Assert.True(chunk.Length <= Math.Max(maxChunkBytes, 4));
            collected.AddRange(chunk.ToArray());
        }, maxChunkBytes);

        Assert.Equal(tensor.bytes.ToArray(), collected.ToArray());
        Assert.Equal(0, offsets[0]);
        Assert.Equal(expectedChunks, offsets.Count);
    }

    [Fact]
    public void ChunksWriteIntoTheTensorsOwnStorage()
    {
        using Tensor tensor = torch.zeros(7, dtype: ScalarType.Int16);
        TensorBytes.ForEachChunk(tensor, (chunk, offset) =>
        {
            for (int i = 0; i < chunk.Length; i += 2) chunk[i] = (byte)((offset + i) / 2 + 1);
        }, maxChunkBytes: 4);
        Assert.Equal([(short)1, 2, 3, 4, 5, 6, 7], tensor.data<short>().ToArray());
    }

    [Fact]
    public void RejectsNonContiguousTensors()
    {
        using Tensor matrix = torch.zeros(2, 3);
        using Tensor transposed = matrix.t();
        Assert.Throws<ArgumentException>(() => TensorBytes.ForEachChunk(transposed, (_, _) => { }));
    }
}
