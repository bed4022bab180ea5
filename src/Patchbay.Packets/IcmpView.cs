// ICMP for IPv4 (RFC 792): type u8, code u8, checksum u16 (over the whole ICMP message), then for echo
// request/reply identifier u16, sequence u16 and data. Other types keep their 4-byte "rest of header".
using System.Buffers.Binary;

namespace Patchbay.Packets;

public static class IcmpType
{
    public const byte EchoReply = 0;

    public const byte DestinationUnreachable = 3;

    public const byte EchoRequest = 8;

    public const byte TimeExceeded = 11;
}

public readonly ref struct IcmpView
{
    public const int HeaderSize = 8;

    private IcmpView(ReadOnlySpan<byte> message) => Bytes = message;

    /// <summary>The whole ICMP message.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte Type => Bytes[0];

    public byte Code => Bytes[1];

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public bool IsEcho => Type is IcmpType.EchoRequest or IcmpType.EchoReply;

    /// <summary>Echo identifier (bytes 4-5; for other types the first half of "rest of header").</summary>
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]);

    public ushort Sequence => BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]);

    public ReadOnlySpan<byte> Payload => Bytes[HeaderSize..];

    public bool IsChecksumValid => InternetChecksum.Compute(Bytes) == 0;

    /// <summary>Parses an ICMP message: the payload of an IPv4 packet with protocol 1 (and fragment offset 0).</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out IcmpView result)
    {
        result = default;
        if (message.Length < HeaderSize)
        {
            return false;
        }

        result = new IcmpView(message);
        return true;
    }
}

public static class IcmpPacket
{
    /// <summary>Writes an echo request or reply with its checksum and returns its length (8 + payload).</summary>
    public static int WriteEcho(Span<byte> destination, byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        int length = IcmpView.HeaderSize + payload.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"an ICMP echo with {payload.Length} data bytes needs {length} bytes, {destination.Length} given", nameof(destination));
        }

        destination[0] = type;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], sequence);
        payload.CopyTo(destination[IcmpView.HeaderSize..]);
        UpdateChecksum(destination[..length]);
        return length;
    }

    /// <summary>Recomputes the checksum of a whole ICMP message in place.</summary>
    public static void UpdateChecksum(Span<byte> message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], InternetChecksum.Compute(message));
    }

    public static byte[] BuildEcho(byte type, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        var message = new byte[IcmpView.HeaderSize + payload.Length];
        WriteEcho(message, type, identifier, sequence, payload);
        return message;
    }
}
