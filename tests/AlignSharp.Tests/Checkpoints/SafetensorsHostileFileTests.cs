using System.Buffers.Binary;
using System.Text;
using AlignSharp.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace AlignSharp.Tests.Checkpoints;

/// <summary>
/// Corrupt and hostile files: each must fail with a <see cref="SafetensorsFormatException"/> that
/// names the file and says what is wrong, before any tensor byte is read.
/// </summary>
public class SafetensorsHostileFileTests
{
    /// <summary>A file with <paramref name="header"/> as its header and <paramref name="dataBytes"/> zero bytes of data.</summary>
    static string WriteRaw(TemporaryFolder folder, string name, byte[] header, int dataBytes, ulong? claimedHeaderLength = null)
    {
        string path = folder.File($"{name}.safetensors");
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static SafetensorsFormatException OpenFails(string path)
    {
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Open(path).Dispose());
        Assert.Contains(Path.GetFileName(path), error.Message);
        Assert.Equal(path, error.FilePath);
        return error;
    }

    const string F32x4 = "\"dtype\":\"F32\",\"shape\":[4]";

    public static TheoryData<string, string, int, string> MalformedHeaders() => new()
    {
        // case name, header JSON, bytes of data after it, what the message must say
        { "not-json", "this is not json", 0, "not valid JSON" },
        { "truncated-json", "{\"a\":{\"dtype\":\"F32\"", 0, "not valid JSON" },
        { "array-root", "[1,2,3]", 0, "expected an object" },
        { "entry-not-object", "{\"a\":5}", 0, "tensor 'a': entry is a JSON Number" },
        { "missing-dtype", "{\"a\":{\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "tensor 'a': missing 'dtype'" },
        { "missing-shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,16]}}", 16, "tensor 'a': missing 'shape'" },
        { "missing-offsets", "{\"a\":{" + F32x4 + "}}", 16, "tensor 'a': missing 'data_offsets'" },
        { "unknown-dtype", "{\"a\":{\"dtype\":\"F13\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "tensor 'a': unknown dtype 'F13'" },
        { "sub-byte-dtype", "{\"a\":{\"dtype\":\"F4\",\"shape\":[4],\"data_offsets\":[0,2]}}", 2, "dtype 'F4' (sub-byte) is not supported" },
        { "dtype-not-string", "{\"a\":{\"dtype\":4,\"shape\":[4],\"data_offsets\":[0,16]}}", 16, "'dtype' is a JSON Number" },
        { "negative-shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", 16, "'shape'[0] is -4" },
        { "fractional-shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2.5],\"data_offsets\":[0,20]}}", 20, "'shape'[1] is 2.5" },
        { "string-shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":\"4\",\"data_offsets\":[0,16]}}", 16, "'shape' is a JSON String" },
        { "three-offsets", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16,32]}}", 32, "expected [begin, end]" },
        { "negative-offset", "{\"a\":{" + F32x4 + ",\"data_offsets\":[-16,0]}}", 16, "must hold non-negative integers" },
        { "begin-after-end", "{\"a\":{" + F32x4 + ",\"data_offsets\":[16,0]}}", 16, "begin after end" },
        { "offsets-outside-file", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]}}", 8, "reach past the 8-byte data region" },
        { "offsets-far-outside", "{\"a\":{" + F32x4 + ",\"data_offsets\":[9223372036854775791,9223372036854775807]}}", 16, "reach past" },
        { "size-lie", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", 8, "needs 16 bytes but data_offsets [0, 8] hold 8" },
        { "size-overflow", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, "overflows" },
        { "overlap", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]},\"b\":{" + F32x4 + ",\"data_offsets\":[8,24]}}", 24, "tensor 'b' at [8, 24] overlaps tensor 'a' at [0, 16]" },
        { "same-bytes-twice", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]},\"b\":{" + F32x4 + ",\"data_offsets\":[0,16]}}", 16, "overlaps" },
        { "hole", "{\"a\":{" + F32x4 + ",\"data_offsets\":[8,24]}}", 24, "bytes [0, 8) before tensor 'a' belong to no tensor" },
        { "trailing-bytes", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]}}", 20, "cover only 16" },
        { "duplicate-name", "{\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]},\"a\":{" + F32x4 + ",\"data_offsets\":[16,32]}}", 32, "tensor 'a' appears twice" },
        { "metadata-number-value", "{\"__metadata__\":{\"step\":5}}", 0, "'__metadata__' entry 'step' is a JSON Number, expected a string" },
        { "metadata-array", "{\"__metadata__\":[\"pt\"]}", 0, "'__metadata__' is a JSON Array" },
        { "deep-nesting", new string('[', 5000) + new string(']', 5000), 0, "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void MalformedHeaderIsRejectedWithTheFileAndTheReason(string caseName, string header, int dataBytes, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = WriteRaw(folder, $"hostile-{caseName}", Encoding.UTF8.GetBytes(header), dataBytes);
        Assert.Contains(expected, OpenFails(path).Message);
    }

    [Fact]
    public void TheSameHeaderShapeIsAcceptedWhenConsistent()
    {
        // Guards the table above: its files fail for the stated reason, not for something they share.
        using var folder = new TemporaryFolder();
        string header = "{\"__metadata__\":{\"step\":\"5\"},\"a\":{" + F32x4 + ",\"data_offsets\":[0,16]},\"b\":{" + F32x4 + ",\"data_offsets\":[16,32]}}";
        string path = WriteRaw(folder, "consistent", Encoding.UTF8.GetBytes(header), 32);
        using var reader = SafetensorsReader.Open(path);
        Assert.Equal(2, reader.Tensors.Count);
        Assert.Equal("5", reader.Metadata["step"]);
        using Tensor b = reader.Read("b");
        Assert.Equal(new float[4], b.data<float>().ToArray());
    }

    [Fact]
    public void NullOrAbsentMetadataIsEmpty()
    {
        using var folder = new TemporaryFolder();
        string withNull = WriteRaw(folder, "null-metadata", "{\"__metadata__\":null}"u8.ToArray(), 0);
        using (var reader = SafetensorsReader.Open(withNull)) Assert.Empty(reader.Metadata);
        string without = WriteRaw(folder, "no-metadata", "{}"u8.ToArray(), 0);
        using (var reader = SafetensorsReader.Open(without)) Assert.Empty(reader.Metadata);
    }

    [Fact]
    public void ShapeLibtorchCannotRepresentFailsOnReadNotInNativeCode()
    {
        // No elements, so the header is consistent, but the strides overflow 64 bits.
        using var folder = new TemporaryFolder();
        string header = "{\"z\":{\"dtype\":\"F32\",\"shape\":[0,1099511627776,1099511627776],\"data_offsets\":[0,0]}}";
        string path = WriteRaw(folder, "stride-overflow", Encoding.UTF8.GetBytes(header), 0);
        using var reader = SafetensorsReader.Open(path);
        var error = Assert.Throws<SafetensorsFormatException>(() => reader.Read("z"));
        Assert.Contains("stride-overflow.safetensors", error.Message);
        Assert.Contains("tensor 'z': libtorch cannot create shape [0, 1099511627776, 1099511627776]", error.Message);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefix()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("five-bytes.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        Assert.Contains("shorter than the 8-byte header length prefix", OpenFails(path).Message);

        File.WriteAllBytes(path, []);
        Assert.Contains("file is 0 bytes", OpenFails(path).Message);
    }

    [Fact]
    public void TruncatedFile()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("truncated.safetensors");
        using Tensor x = torch.arange(16, dtype: ScalarType.Float32);
        SafetensorsWriter.Write(path, [new("x", x)]);
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 4);
        Assert.Contains("tensor 'x': 'data_offsets' [0, 64] reach past the 60-byte data region", OpenFails(path).Message);

        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(20); // cut inside the header
        Assert.Contains("is larger than the 12 bytes after the prefix", OpenFails(path).Message);
    }

    [Fact]
    public void HeaderLengthLargerThanTheFile()
    {
        using var folder = new TemporaryFolder();
        string path = WriteRaw(folder, "long-claim", "{}"u8.ToArray(), 0, claimedHeaderLength: 1000);
        Assert.Contains("header length 1000 is larger than the 2 bytes after the prefix", OpenFails(path).Message);
    }

    [Fact]
    public void InvalidUtf8Header()
    {
        using var folder = new TemporaryFolder();
        string path = WriteRaw(folder, "latin1", [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}'], 0);
        Assert.Contains("not valid UTF-8", OpenFails(path).Message);
    }

    [Theory]
    [InlineData(99_000_000UL, "is larger than")]             // under the limit, but not in the file
    [InlineData(100_000_001UL, "exceeds the 100000000-byte limit")]
    [InlineData(ulong.MaxValue, "exceeds the 100000000-byte limit")]
    public void HugeClaimedHeaderLengthIsNotAllocated(ulong claimed, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = WriteRaw(folder, "huge-claim", "{}"u8.ToArray(), 0, claimedHeaderLength: claimed);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = OpenFails(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(expected, error.Message);
        Assert.True(allocated < 1_000_000, $"opening allocated {allocated} bytes");
    }

    [Fact]
    public void HeaderOverTheLimitIsRejectedEvenWhenTheFileIsThatLarge()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("big-sparse.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 100_000_008);
            stream.Write(prefix);
            stream.SetLength(100_000_016); // sparse: costs no disk
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = OpenFails(path);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Contains("exceeds the 100000000-byte limit", error.Message);
    }

    [Fact]
    public void BoolBytesOtherThanZeroOrOneAreRejectedOnRead()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bad-bool.safetensors");
        using Tensor flags = torch.tensor(new[] { true, false, true });
        SafetensorsWriter.Write(path, [new("flags", flags)]);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^2] = 2;
        File.WriteAllBytes(path, bytes);

        using var reader = SafetensorsReader.Open(path);
        var error = Assert.Throws<SafetensorsFormatException>(() => reader.Read("flags"));
        Assert.Contains("bad-bool.safetensors", error.Message);
        Assert.Contains("tensor 'flags': BOOL element 1 has byte value 2", error.Message);
    }

    [Fact]
    public void DTypeTheFormatKnowsButTorchSharpCannotHoldIsListedNotRead()
    {
        using var folder = new TemporaryFolder();
        string header = "{\"u\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]},\"f\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        string path = WriteRaw(folder, "u16", Encoding.UTF8.GetBytes(header), 8);
        using var reader = SafetensorsReader.Open(path);
        Assert.Equal("U16", reader.Tensors["u"].DType);
        var error = Assert.Throws<NotSupportedException>(() => reader.Read("u"));
        Assert.Contains("u16.safetensors", error.Message);
        Assert.Contains("tensor 'u' has dtype U16", error.Message);
        using Tensor f = reader.Read("f");
        Assert.Equal([0f], f.data<float>().ToArray());
    }
}
