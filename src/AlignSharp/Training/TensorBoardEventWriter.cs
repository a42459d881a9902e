using System.Buffers.Binary;
using System.Text;

namespace AlignSharp.Training;

/// <summary>
/// Writes TensorBoard scalar summaries without a protobuf dependency: a file
/// <c>events.out.tfevents.&lt;unix time&gt;.&lt;host&gt;</c> of TFRecords (uint64 length, masked CRC-32C of the
/// length, the bytes, masked CRC-32C of the bytes), each an <c>Event</c> proto encoded by hand. The first
/// record carries <c>file_version = "brain.Event:2"</c>, as TensorBoard expects. Every record is flushed, so
/// a crash loses at most the record being written.
/// </summary>
public sealed class TensorBoardEventWriter : IDisposable
{
    public const string FileVersion = "brain.Event:2";

    // Field keys: (field number << 3) | wire type.
    const byte EventWallTime = (1 << 3) | 1;   // double
    const byte EventStep = (2 << 3) | 0;       // int64 varint
    const byte EventFileVersion = (3 << 3) | 2; // string
    const byte EventSummary = (5 << 3) | 2;    // Summary message
    const byte EventSessionLog = (6 << 3) | 2; // SessionLog message
    const byte SessionLogStatus = (1 << 3) | 0; // enum varint
    const byte SessionStatusStart = 1;
    const byte SummaryValue = (1 << 3) | 2;    // repeated Value
    const byte ValueTag = (1 << 3) | 2;        // string
    const byte ValueSimpleValue = (2 << 3) | 5; // float

    readonly FileStream _stream;

    /// <summary>Creates a new event file in <paramref name="folder"/> (created if missing).</summary>
    public TensorBoardEventWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        string baseName = $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}";
        string path = Path.Combine(folder, baseName);
        // A resumed run started in the same second must not append to the previous file.
        for (int n = 1; File.Exists(path); n++) path = Path.Combine(folder, $"{baseName}.{n}");
        FilePath = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteRecord(EncodeEvent(WallTime(now), 0, fileVersion: FileVersion, scalars: null));
    }

    public string FilePath { get; }

    /// <summary>One event at <paramref name="step"/> holding every scalar of <paramref name="scalars"/> (tag → value).</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        var list = scalars.ToList();
        if (list.Count == 0) return;
        WriteRecord(EncodeEvent(WallTime(DateTimeOffset.UtcNow), step, fileVersion: null, list));
    }

    /// <summary>
    /// Marks a restart at <paramref name="step"/> (a <c>SessionLog</c> with status START): TensorBoard then drops
    /// the events of earlier files at this step or later, which an interrupted run wrote after its last checkpoint.
    /// </summary>
    public void WriteSessionStart(long step)
    {
        using var message = new MemoryStream();
        message.Write(EncodeEvent(WallTime(DateTimeOffset.UtcNow), step, fileVersion: null, scalars: null));
        WriteBytesField(message, EventSessionLog, [SessionLogStatus, SessionStatusStart]);
        WriteRecord(message.ToArray());
    }

    public void Dispose() => _stream.Dispose();

    static double WallTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    void WriteRecord(byte[] data)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(length));
        _stream.Write(length);
        _stream.Write(crc);
        _stream.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C.Masked(data));
        _stream.Write(crc);
        _stream.Flush();
    }

    static byte[] EncodeEvent(double wallTime, long step, string? fileVersion, IReadOnlyList<KeyValuePair<string, double>>? scalars)
    {
        using var message = new MemoryStream();
        message.WriteByte(EventWallTime);
        Span<byte> fixed64 = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(fixed64, wallTime);
        message.Write(fixed64);
        message.WriteByte(EventStep);
        WriteVarint(message, unchecked((ulong)step));
        if (fileVersion is not null)
            WriteBytesField(message, EventFileVersion, Encoding.UTF8.GetBytes(fileVersion));
        if (scalars is not null)
        {
            using var summary = new MemoryStream();
            Span<byte> fixed32 = stackalloc byte[4];
            foreach (var (tag, value) in scalars)
            {
                using var valueMessage = new MemoryStream();
                WriteBytesField(valueMessage, ValueTag, Encoding.UTF8.GetBytes(tag));
                valueMessage.WriteByte(ValueSimpleValue);
                BinaryPrimitives.WriteSingleLittleEndian(fixed32, (float)value);
                valueMessage.Write(fixed32);
                WriteBytesField(summary, SummaryValue, valueMessage.ToArray());
            }
            WriteBytesField(message, EventSummary, summary.ToArray());
        }
        return message.ToArray();
    }

    static void WriteBytesField(Stream stream, byte key, byte[] bytes)
    {
        stream.WriteByte(key);
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}
