using System.Buffers.Binary;
using System.Text;
using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

public class SafetensorsLargeFileTests
{
    [Fact]
    public void FileLargerThanMemoryOpensAndReadsOneTensorWithoutLoadingTheRest()
    {
        if (!OperatingSystem.IsLinux()) return; // relies on sparse files, which Linux file systems make by default
        // A sparse file bigger than this machine's memory: a huge I8 tensor of zeros (costing no
        // disk), then a small F32 tensor past it, beyond 4 GiB into the file.
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long hugeBytes = Math.Max(memory + (memory >> 1), 8L << 30);
        using var folder = new TemporaryFolder();
        string path = folder.File("bigger-than-memory.safetensors");
        string header = $"{{\"huge\":{{\"dtype\":\"I8\",\"shape\":[{hugeBytes}],\"data_offsets\":[0,{hugeBytes}]}}," +
                        $"\"tail\":{{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[{hugeBytes},{hugeBytes + 12}]}}}}";
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.PadRight((header.Length + 7) / 8 * 8));
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)headerBytes.Length);
            stream.Write(prefix);
            stream.Write(headerBytes);
            stream.Seek(hugeBytes, SeekOrigin.Current);
            Span<byte> tail = stackalloc byte[12];
            BinaryPrimitives.WriteSingleLittleEndian(tail, 1.25f);
            BinaryPrimitives.WriteSingleLittleEndian(tail[4..], -3f);
            BinaryPrimitives.WriteSingleLittleEndian(tail[8..], 1e9f);
            stream.Write(tail);
        }
        Assert.True(new FileInfo(path).Length > memory);

        using var reader = SafetensorsReader.Open(path);
        Assert.Equal(hugeBytes, reader.Tensors["huge"].ByteLength);
        using Tensor small = reader.Read("tail");
        Assert.Equal([1.25f, -3f, 1e9f], small.data<float>().ToArray());
    }

    [Fact]
    public void ConcurrentReadsFromOneReaderAgree()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("shared.safetensors");
        var tensors = Enumerable.Range(0, 8)
            .Select(i => new KeyValuePair<string, Tensor>($"t{i}", torch.arange(64, dtype: ScalarType.Float32).add(i * 100)))
            .ToList();
        try
        {
            SafetensorsWriter.Write(path, tensors);
            using var reader = SafetensorsReader.Open(path);
            var sums = new float[64];
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                using Tensor t = reader.Read($"t{i % 8}");
                sums[i] = t.sum().item<float>();
            });
            for (int i = 0; i < 64; i++) Assert.Equal(2016f + 6400f * (i % 8), sums[i]);
        }
        finally
        {
            foreach (var pair in tensors) pair.Value.Dispose();
        }
    }
}
