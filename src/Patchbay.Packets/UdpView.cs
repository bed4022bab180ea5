// UDP header (RFC 768): source port u16, destination port u16, length u16 (header + data), checksum u16
// (over the IPv4 pseudo-header and the datagram; 0 means "not computed", and a computed 0 is sent as 0xffff).
using System.Buffers.Binary;

namespace Patchbay.Packets;

public readonly ref struct UdpView
{
    public const int HeaderSize = 8;

    public const int ChecksumOffset = 6;

    private UdpView(ReadOnlySpan<byte> datagram) => Bytes = datagram;

    /// <summary>Header and data, up to the UDP length.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(Bytes);

    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public ushort Length => BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]);

    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(Bytes[ChecksumOffset..]);

    public ReadOnlySpan<byte> Payload => Bytes[HeaderSize..];

    /// <summary>True when the checksum is absent (0) or verifies under the pseudo-header.</summary>
    public bool IsChecksumValid(Ipv4Address source, Ipv4Address destination) =>
        Checksum == 0 || InternetChecksum.ComputeTransport(source, destination, IpProtocol.Udp, Bytes) == 0;

    public static bool TryParse(ReadOnlySpan<byte> datagram, out UdpView result)
    {
        result = default;
        if (datagram.Length < HeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        if (length < HeaderSize || length > datagram.Length)
        {
            return false;
        }

        result = new UdpView(datagram[..length]);
        return true;
    }
}

public static class UdpPacket
{
    /// <summary>Writes header, data and checksum for the given IPv4 addresses; returns 8 + payload.</summary>
    public static int Write(Span<byte> destination, Ipv4Address source, Ipv4Address target, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        int length = UdpView.HeaderSize + payload.Length;
        if (length > ushort.MaxValue || destination.Length < length)
        {
            throw new ArgumentException($"a UDP datagram with {payload.Length} data bytes needs {length} bytes (at most 65535), {destination.Length} given", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)length);
        payload.CopyTo(destination[UdpView.HeaderSize..]);
        UpdateChecksum(destination[..length], source, target);
        return length;
    }

    /// <summary>Recomputes the checksum of a whole datagram in place (after its addresses or ports changed).</summary>
    public static void UpdateChecksum(Span<byte> datagram, Ipv4Address source, Ipv4Address target)
    {
        BinaryPrimitives.WriteUInt16BigEndian(datagram[UdpView.ChecksumOffset..], 0);
        ushort checksum = InternetChecksum.ComputeTransport(source, target, IpProtocol.Udp, datagram);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[UdpView.ChecksumOffset..], checksum == 0 ? (ushort)0xffff : checksum);
    }
}
