using System.Buffers.Binary;
using System.IO.Hashing;

namespace Strata.TestKit.Azure;

/// <summary>
/// Reads the body format the Azure SDK sends with CRC64 transfer validation (<c>XSM/1.0</c>):
/// a 13-byte header (version 1, total length, flags, segment count), then per segment a 10-byte
/// header (number, length), the content and its CRC64, then the CRC64 of the whole content — all
/// little-endian, CRC-64/NVME (the polynomial Azure Storage calls CRC64).
/// </summary>
internal static class StructuredMessage
{
    private const int StreamHeader = 13;
    private const int SegmentHeader = 10;
    private const int Crc = 8;

    /// <summary>The content, or null when the framing or a CRC64 is wrong.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> message)
    {
        if (message.Length < StreamHeader + Crc || message[0] != 1
            || (long)BinaryPrimitives.ReadUInt64LittleEndian(message[1..9]) != message.Length
            || (BinaryPrimitives.ReadUInt16LittleEndian(message[9..11]) & 1) == 0)
        {
            return null;
        }

        var segments = BinaryPrimitives.ReadUInt16LittleEndian(message[11..13]);
        var whole = new Crc64(Crc64ParameterSet.Nvme);
        using var content = new MemoryStream();
        var at = StreamHeader;
        for (var i = 1; i <= segments; i++)
        {
            if (message.Length < at + SegmentHeader || BinaryPrimitives.ReadUInt16LittleEndian(message[at..]) != i)
            {
                return null;
            }

            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(message[(at + 2)..]);
            at += SegmentHeader;
            if (message.Length < at + length + Crc)
            {
                return null;
            }

            var segment = message.Slice(at, length);
            if (Crc64.HashToUInt64(Crc64ParameterSet.Nvme, segment) != BinaryPrimitives.ReadUInt64LittleEndian(message[(at + length)..]))
            {
                return null;
            }

            whole.Append(segment);
            content.Write(segment);
            at += length + Crc;
        }

        return at + Crc == message.Length && whole.GetCurrentHashAsUInt64() == BinaryPrimitives.ReadUInt64LittleEndian(message[at..])
            ? content.ToArray()
            : null;
    }
}
