using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

/// <summary>
/// The reader and writer against an independent implementation (make_fixtures.py, written from the
/// format description) and against the format itself, parsed by hand.
/// </summary>
public class SafetensorsSpecTests
{
    [Fact]
    public void ReadsEveryDTypeFromTheIndependentlyWrittenFile()
    {
        using var reader = SafetensorsReader.Open(Fixtures.Path("dtypes.safetensors"));

        Assert.Equal(new Dictionary<string, string> { ["source"] = "make_fixtures.py", ["note"] = "ünïcode ✓" }, reader.Metadata);
        Assert.Equal(13, reader.Tensors.Count);

        using (Tensor t = reader.Read("f64")) Assert.Equal([Math.PI, -1e300], t.data<double>().ToArray());
        using (Tensor t = reader.Read("f32"))
        {
            Assert.Equal([2L, 3L], t.shape);
            Assert.Equal([1.5f, -2.25f, 3.0f, 0.1f, 1e-30f, -0.0f], t.data<float>().ToArray());
            Assert.True(float.IsNegative(t.data<float>()[1, 2]), "-0.0 keeps its sign bit");
        }
        using (Tensor t = reader.Read("f16", ScalarType.Float32)) Assert.Equal([0.5f, -1f, 65504f, 6.103515625e-05f], t.data<float>().ToArray());
        using (Tensor t = reader.Read("f16")) Assert.Equal(ScalarType.Float16, t.dtype);
        using (Tensor t = reader.Read("bf16"))
        {
            Assert.Equal(ScalarType.BFloat16, t.dtype);
            using Tensor wide = t.to_type(ScalarType.Float32);
            Assert.Equal([1f, -2.5f, 3.140625f], wide.data<float>().ToArray());
        }
        using (Tensor t = reader.Read("i64")) Assert.Equal([long.MinValue, long.MaxValue, 42L], t.data<long>().ToArray());
        using (Tensor t = reader.Read("i32")) Assert.Equal([int.MinValue, int.MaxValue], t.data<int>().ToArray());
        using (Tensor t = reader.Read("i16")) Assert.Equal([short.MinValue, short.MaxValue], t.data<short>().ToArray());
        using (Tensor t = reader.Read("i8")) Assert.Equal([sbyte.MinValue, sbyte.MaxValue], t.data<sbyte>().ToArray());
        using (Tensor t = reader.Read("u8")) Assert.Equal([(byte)0, (byte)128, (byte)255], t.data<byte>().ToArray());
        using (Tensor t = reader.Read("bool"))
        {
            Assert.Equal([2L, 2L], t.shape);
            Assert.Equal([true, false, false, true], t.data<bool>().ToArray());
        }
        using (Tensor t = reader.Read("scalar"))
        {
            Assert.Empty(t.shape);
            Assert.Equal(7.25f, t.item<float>());
        }
        using (Tensor t = reader.Read("empty"))
        {
            Assert.Equal([0L, 4L], t.shape);
            Assert.Equal(0, t.NumberOfElements);
        }
        using (Tensor t = reader.Read("émbed.ß")) Assert.Equal([12345], t.data<int>().ToArray());
    }

    [Fact]
    public void ReportsTheHeaderAsWritten()
    {
        using var reader = SafetensorsReader.Open(Fixtures.Path("dtypes.safetensors"));
        SafetensorsTensorInfo f32 = reader.Tensors["f32"];
        Assert.Equal("F32", f32.DType);
        Assert.Equal([2L, 3L], f32.Shape);
        Assert.Equal(0, f32.Begin); // make_fixtures.py lays f32 out first
        Assert.Equal(24, f32.End);
        Assert.Equal(6, f32.ElementCount);
        Assert.Equal(["BF16", "BOOL", "F16", "F32", "F64", "I16", "I32", "I64", "I8", "U8"],
            reader.Tensors.Values.Select(t => t.DType).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The tensors of make_fixtures.py's golden_tensors(), given here in a different order.</summary>
    static List<KeyValuePair<string, Tensor>> GoldenTensors() =>
    [
        new("g.bytes", torch.tensor(new byte[] { 1, 2, 3 })),
        new("e.scalar", torch.tensor(0.75f).to_type(ScalarType.Float16)),
        new("b.weight", torch.tensor(new float[] { -1f, -0.5f, 0f, 0.5f, 1f, 1.5f }).reshape(2, 3)),
        new("d.ids", torch.tensor(new long[] { -1, 7 })),
        new("a.bias", torch.tensor(new float[] { 1f, -2.5f, 0.15625f }).to_type(ScalarType.BFloat16)),
        new("f.empty", torch.zeros(0, 3)),
        new("c.mask", torch.tensor(new[] { true, false, false, true, true })),
    ];

    [Fact]
    public void WriterProducesExactlyTheReferenceBytes()
    {
        using var folder = new TemporaryFolder();
        List<KeyValuePair<string, Tensor>> tensors = GoldenTensors();
        try
        {
            SafetensorsWriter.Write(folder.File("golden.safetensors"), tensors);
        }
        finally
        {
            foreach (var pair in tensors) pair.Value.Dispose();
        }
        Assert.Equal(File.ReadAllBytes(Fixtures.Path("writer_golden.safetensors")), File.ReadAllBytes(folder.File("golden.safetensors")));
    }

    [Fact]
    public void WriterOutputFollowsTheFormatWhenParsedByHand()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("spec.safetensors");
        using Tensor odd = torch.tensor(new byte[] { 9, 8, 7 });                 // 3 bytes: would misalign what follows
        using Tensor halves = torch.tensor(new float[] { 1f, 2f, 3f }).to_type(ScalarType.Float16);
        using Tensor wide = torch.tensor(new double[] { 0.5, -0.25 });
        using Tensor words = torch.tensor(new int[] { 5, -6, 7 });
        SafetensorsWriter.Write(path, [new("z.odd", odd), new("y.halves", halves), new("x.wide", wide), new("w.words", words)]);
        byte[] file = File.ReadAllBytes(path);

        // 8-byte little-endian header length, header padded with spaces to a multiple of 8.
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0, 8));
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"},", header);
        string unpadded = header.TrimEnd(' ');
        Assert.EndsWith("}", unpadded);
        Assert.True(header.Length - unpadded.Length < 8);

        // Tensors listed in data order: decreasing alignment, then name; offsets tile the data region.
        long dataStart = 8 + headerLength;
        using JsonDocument json = JsonDocument.Parse(header);
        var entries = json.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.Equal(["x.wide", "w.words", "y.halves", "z.odd"], entries.Select(e => e.Name));
        long expectedBegin = 0;
        foreach (JsonProperty entry in entries)
        {
            long begin = entry.Value.GetProperty("data_offsets")[0].GetInt64();
            long end = entry.Value.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(expectedBegin, begin);
            int itemSize = entry.Value.GetProperty("dtype").GetString() switch { "F64" => 8, "I32" => 4, "F16" => 2, "U8" => 1, var d => throw new Exception(d) };
            Assert.Equal(0, (dataStart + begin) % itemSize); // aligned to its element size in the file
            expectedBegin = end;
        }
        Assert.Equal(file.Length - dataStart, expectedBegin);

        // And the bytes are the values, little-endian.
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan((int)dataStart, 8)));
        Assert.Equal(-0.25, BinaryPrimitives.ReadDoubleLittleEndian(file.AsSpan((int)dataStart + 8, 8)));
        Assert.Equal(-6, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan((int)dataStart + 20, 4)));
        Assert.Equal((Half)2f, BinaryPrimitives.ReadHalfLittleEndian(file.AsSpan((int)dataStart + 30, 2)));
        Assert.Equal([9, 8, 7], file[^3..]);
    }

    [Fact]
    public void NoTensorsGivesJustTheMetadataHeader()
    {
        using var folder = new TemporaryFolder();
        SafetensorsWriter.Write(folder.File("none.safetensors"), []);
        byte[] expected = [32, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes("{\"__metadata__\":{\"format\":\"pt\"}}")];
        Assert.Equal(expected, File.ReadAllBytes(folder.File("none.safetensors")));
        using var reader = SafetensorsReader.Open(folder.File("none.safetensors"));
        Assert.Empty(reader.Tensors);
    }
}
