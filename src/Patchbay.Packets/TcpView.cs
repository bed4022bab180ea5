// TCP header (RFC 9293): source port u16, destination port u16, sequence u32, acknowledgment u32,
// data offset:4 reserved:4 flags u8 (CWR ECE URG ACK PSH RST SYN FIN), window u16, checksum u16 (IPv4
// pseudo-header + segment), urgent pointer u16, options up to data offset * 4.
using System.Buffers.Binary;

namespace Patchbay.Packets;

[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
    Ece = 0x40,
    Cwr = 0x80,
}

public readonly ref struct TcpView
{
    public const int MinHeaderSize = 20;

    public const int ChecksumOffset = 16;

    private TcpView(ReadOnlySpan<byte> segment) => Bytes = segment;

    /// <summary>The whole segment: header, options and data.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(Bytes);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(Bytes[4..]);

    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(Bytes[8..]);

    public int HeaderLength => (Bytes[12] >> 4) * 4;

    public TcpFlags Flags => (TcpFlags)Bytes[13];

    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(Bytes[14..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(Bytes[ChecksumOffset..]);

    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(Bytes[18..]);

    public ReadOnlySpan<byte> Options => Bytes[MinHeaderSize..HeaderLength];

    public ReadOnlySpan<byte> Payload => Bytes[HeaderLength..];

    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        InternetChecksum.ComputeTransport(source, destination, IpProtocol.Tcp, Bytes) == 0;

    /// <summary>Parses a segment: the payload of an IPv4 packet with protocol 6 (and fragment offset 0).</summary>
    public static bool TryParse(ReadOnlySpan<byte> segment, out TcpView result)
    {
        result = default;
        if (segment.Length < MinHeaderSize)
        {
            return false;
        }

        int headerLength = (segment[12] >> 4) * 4;
        if (headerLength < MinHeaderSize || headerLength > segment.Length)
        {
            return false;
        }

        result = new TcpView(segment);
        return true;
    }
}

public static class TcpPacket
{
    /// <summary>Writes a 20-byte header (no options), the data and the checksum; returns the segment length.</summary>
    public static int Write(
        Span<byte> destination,
        Ipv4Address source,
        Ipv4Address target,
        ushort sourcePort,
        ushort destinationPort,
        uint sequenceNumber,
        uint acknowledgmentNumber,
        TcpFlags flags,
        ushort window,
        ReadOnlySpan<byte> payload)
    {
        int length = TcpView.MinHeaderSize + payload.Length;
        if (destination.Length < length)
        {
            throw new ArgumentException($"a TCP segment with {payload.Length} data bytes needs {length} bytes, {destination.Length} given", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], acknowledgmentNumber);
        destination[12] = (TcpView.MinHeaderSize / 4) << 4;
        destination[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], window);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], 0);
        payload.CopyTo(destination[TcpView.MinHeaderSize..]);
        UpdateChecksum(destination[..length], source, target);
        return length;
    }

    /// <summary>Recomputes the checksum of a whole segment in place (after its addresses or ports changed).</summary>
    public static void UpdateChecksum(Span<byte> segment, Ipv4Address source, Ipv4Address target)
    {
        BinaryPrimitives.WriteUInt16BigEndian(segment[TcpView.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(segment[TcpView.ChecksumOffset..], InternetChecksum.ComputeTransport(source, target, IpProtocol.Tcp, segment));
    }
}
