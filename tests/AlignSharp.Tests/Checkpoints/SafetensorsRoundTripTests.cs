using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

public class SafetensorsRoundTripTests
{
    /// <summary>Distinct, dtype-appropriate values (negative ones where the type has them).</summary>
    internal static Tensor Sample(ScalarType dtype, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        using var ramp = torch.arange(count, dtype: ScalarType.Float64);
        using Tensor values = dtype switch
        {
            ScalarType.Bool => ramp.remainder(3).eq(0),
            ScalarType.Byte => ramp.mul(37).remainder(256),
            ScalarType.Int8 => ramp.mul(37).remainder(256).sub(128),
            ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 => ramp.mul(-7919).add(3),
            _ => ramp.mul(0.37).sub(1.1),
        };
        return values.to_type(dtype).reshape(shape);
    }

    public static TheoryData<ScalarType> AllDTypes() => new(
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16,
        ScalarType.Int64, ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool);

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void EveryDTypeRoundTripsBitExactly(ScalarType dtype)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("t.safetensors");
        using Tensor matrix = Sample(dtype, 3, 5);
        using Tensor scalar = Sample(dtype).reshape(Array.Empty<long>());
        using Tensor empty = Sample(dtype, 0, 4);
        SafetensorsWriter.Write(path, [new("matrix", matrix), new("scalar", scalar), new("empty", empty)]);

        using var reader = SafetensorsReader.Open(path);
        Assert.Equal(["empty", "matrix", "scalar"], reader.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, Tensor expected) in new[] { ("matrix", matrix), ("scalar", scalar), ("empty", empty) })
        {
            using Tensor actual = reader.Read(name);
            Assert.Equal(dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.shape, reader.Tensors[name].Shape);
            Assert.Equal(expected.bytes.ToArray(), actual.bytes.ToArray());
        }
        Assert.Empty(reader.Tensors["scalar"].Shape);
        Assert.Equal(0, reader.Tensors["empty"].ByteLength);
    }

    [Fact]
    public void SampleValuesAreDistinctSoTheRoundTripCanFail()
    {
        using Tensor values = Sample(ScalarType.Int16, 3, 5);
        Assert.Equal(15, values.unique().Item1.NumberOfElements);
    }

    [Fact]
    public void NonContiguousTensorsAreWrittenInLogicalOrder()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("t.safetensors");
        using Tensor matrix = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using Tensor transposed = matrix.t();
        Assert.False(transposed.is_contiguous());
        SafetensorsWriter.Write(path, [new("t", transposed)]);

        using var reader = SafetensorsReader.Open(path);
        using Tensor read = reader.Read("t");
        Assert.Equal([3L, 2L], read.shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], read.data<float>().ToArray());
    }

    [Fact]
    public void MetadataIsPreservedAndFormatDefaultsToPt()
    {
        using var folder = new TemporaryFolder();
        using Tensor x = torch.ones(2);

        SafetensorsWriter.Write(folder.File("default.safetensors"), [new("x", x)]);
        using (var reader = SafetensorsReader.Open(folder.File("default.safetensors")))
            Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, reader.Metadata);

        var given = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "120", ["note"] = "ünïcode \"quoted\" ✓" };
        SafetensorsWriter.Write(folder.File("given.safetensors"), [new("x", x)], given);
        using (var reader = SafetensorsReader.Open(folder.File("given.safetensors")))
            Assert.Equal(given, reader.Metadata);

        // transformers refuses files without a format, so one is added when missing.
        SafetensorsWriter.Write(folder.File("noformat.safetensors"), [new("x", x)], new Dictionary<string, string> { ["step"] = "7" });
        using (var reader = SafetensorsReader.Open(folder.File("noformat.safetensors")))
            Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["step"] = "7" }, reader.Metadata);
    }

    [Fact]
    public void ReadConvertsWhenAskedAndReturnsTensorsThatOutliveTheReader()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("t.safetensors");
        using Tensor source = torch.tensor(new float[] { 1f, -2.5f, 0.15625f }).to_type(ScalarType.BFloat16);
        SafetensorsWriter.Write(path, [new("w", source)]);

        Tensor converted;
        using (var reader = SafetensorsReader.Open(path))
        {
            converted = reader.Read("w", ScalarType.Float32);
            Assert.Equal("BF16", reader.Tensors["w"].DType);
            Assert.Throws<KeyNotFoundException>(() => reader.Read("missing"));
        }
        using (converted)
        {
            Assert.Equal(ScalarType.Float32, converted.dtype);
            Assert.Equal([1f, -2.5f, 0.15625f], converted.data<float>().ToArray());
        }
    }

    [Fact]
    public void ReadLeavesOnlyTheReturnedTensorInTheCallersDisposeScope()
    {
        using var folder = new TemporaryFolder();
        using Tensor source = torch.arange(2000, dtype: ScalarType.Float32);
        SafetensorsWriter.Write(folder.File("t.safetensors"), [new("w", source)]);
        using var reader = SafetensorsReader.Open(folder.File("t.safetensors"));
        using (var scope = torch.NewDisposeScope())
        {
            Tensor plain = reader.Read("w");
            Tensor converted = reader.Read("w", ScalarType.BFloat16); // the float32 read before converting is freed
            Assert.Equal(2, scope.DisposablesCount);
            Assert.Equal(ScalarType.BFloat16, converted.dtype);
            Assert.Equal(1999f, plain.max().item<float>());
        }
    }

    [Fact]
    public void WriterRejectsNullMetadataValues()
    {
        using var folder = new TemporaryFolder();
        using Tensor x = torch.ones(1);
        var metadata = new Dictionary<string, string> { ["step"] = null! };
        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(folder.File("t.safetensors"), [new("x", x)], metadata));
        Assert.Contains("metadata entry 'step' is null", error.Message);
    }

    [Fact]
    public void ReadAfterDisposeThrows()
    {
        using var folder = new TemporaryFolder();
        using Tensor x = torch.ones(2);
        SafetensorsWriter.Write(folder.File("t.safetensors"), [new("x", x)]);
        var reader = SafetensorsReader.Open(folder.File("t.safetensors"));
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read("x"));
    }

    [Fact]
    public void WriterRejectsDuplicateReservedAndUnsupported()
    {
        using var folder = new TemporaryFolder();
        using Tensor x = torch.ones(2);
        using Tensor complex = torch.ones(2, dtype: ScalarType.ComplexFloat64);
        string path = folder.File("t.safetensors");
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("x", x), new("x", x)])).Message);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("__metadata__", x)])).Message);
        Assert.Contains("ComplexFloat64", Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [new("c", complex)])).Message);
        Assert.Empty(folder.FileNames()); // nothing half-written is left behind
    }

    [Fact]
    public void WritingDoesNotLeakTensorsIntoTheCallersDisposeScope()
    {
        using var folder = new TemporaryFolder();
        using Tensor matrix = torch.arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using Tensor transposed = matrix.t();
        using (var scope = torch.NewDisposeScope())
        {
            SafetensorsWriter.Write(folder.File("t.safetensors"), [new("t", transposed)]);
            Assert.Equal(0, scope.DisposablesCount);
        }
        Assert.False(transposed.IsInvalid);
    }
}
