using System.Buffers.Binary;
using System.Text;
using AlignSharp.Training;

namespace AlignSharp.Tests.Training;

/// <summary>
/// An independent decoder of TensorBoard event files for the tests: TFRecord framing with both CRCs
/// checked, and the few Event/Summary/Value proto fields the writer uses (unknown fields are skipped by wire type).
/// </summary>
static class TensorBoardEventReader
{
    public sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars, int? SessionStatus);

    public static List<Event> Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            var lengthBytes = bytes.AsSpan(offset, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            Assert.Equal(Crc32C.Masked(lengthBytes), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)));
            var data = bytes.AsSpan(offset + 12, (int)length);
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + (int)length, 4)));
            events.Add(DecodeEvent(data.ToArray()));
            offset += 12 + (int)length + 4;
        }
        return events;
    }

    static Event DecodeEvent(byte[] data)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        int? sessionStatus = null;
        var scalars = new List<(string, float)>();
        foreach (var (field, wireType, value, payload) in Fields(data))
        {
            switch (field)
            {
                case 1 when wireType == 1: wallTime = BitConverter.Int64BitsToDouble((long)value); break;
                case 2 when wireType == 0: step = (long)value; break;
                case 3 when wireType == 2: fileVersion = Encoding.UTF8.GetString(payload!); break;
                case 6 when wireType == 2:
                    sessionStatus = 0;
                    foreach (var (logField, logWire, status, _) in Fields(payload!))
                        if (logField == 1 && logWire == 0) sessionStatus = (int)status;
                    break;
                case 5 when wireType == 2:
                    foreach (var (summaryField, _, _, valueBytes) in Fields(payload!))
                    {
                        if (summaryField != 1) continue;
                        string tag = "";
                        float simple = float.NaN;
                        foreach (var (valueField, valueWire, raw, tagBytes) in Fields(valueBytes!))
                        {
                            if (valueField == 1 && valueWire == 2) tag = Encoding.UTF8.GetString(tagBytes!);
                            if (valueField == 2 && valueWire == 5) simple = BitConverter.Int32BitsToSingle((int)raw);
                        }
                        scalars.Add((tag, simple));
                    }
                    break;
            }
        }
        return new Event(wallTime, step, fileVersion, scalars, sessionStatus);
    }

    static IEnumerable<(int Field, int WireType, ulong Value, byte[]? Payload)> Fields(byte[] data)
    {
        int i = 0;
        while (i < data.Length)
        {
            ulong key = Varint(data, ref i);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(data, ref i), null); break;
                case 1: yield return (field, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(i, 8)), null); i += 8; break;
                case 5: yield return (field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i, 4)), null); i += 4; break;
                case 2:
                    int length = (int)Varint(data, ref i);
                    yield return (field, wire, 0, data.AsSpan(i, length).ToArray());
                    i += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire} at byte {i}");
            }
        }
    }

    static ulong Varint(byte[] data, ref int i)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
    }
}
