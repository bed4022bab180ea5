// IPv4 header (RFC 791): version:4 ihl:4, dscp:6 ecn:2, total length u16, identification u16,
// flags:3 (reserved, DF, MF) fragment offset:13, ttl u8, protocol u8, header checksum u16, source[4],
// destination[4], options (ihl*4 - 20 bytes). The view's payload ends at total length, so Ethernet
// padding after a short packet is not taken for data.
using System.Buffers.Binary;

namespace Patchbay.Packets;

public readonly ref struct Ipv4View
{
    public const int MinHeaderSize = 20;

    public const ushort DontFragmentFlag = 0x4000;

    public const ushort MoreFragmentsFlag = 0x2000;

    public const int SourceOffset = 12;

    public const int DestinationOffset = 16;

    public const int ChecksumOffset = 10;

    private Ipv4View(ReadOnlySpan<byte> packet) => Bytes = packet;

    /// <summary>Header and payload, up to total length.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public int HeaderLength => (Bytes[0] & 0x0f) * 4;

    public ReadOnlySpan<byte> Header => Bytes[..HeaderLength];

    public ReadOnlySpan<byte> Payload => Bytes[HeaderLength..];

    public byte Dscp => (byte)(Bytes[1] >> 2);

    public byte Ecn => (byte)(Bytes[1] & 3);

    public ushort TotalLength => BinaryPrimitives.ReadUInt16BigEndian(Bytes[2..]);

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]);

    private ushort FlagsAndOffset => BinaryPrimitives.ReadUInt16BigEndian(Bytes[6..]);

    public bool DontFragment => (FlagsAndOffset & DontFragmentFlag) != 0;

    public bool MoreFragments => (FlagsAndOffset & MoreFragmentsFlag) != 0;

    /// <summary>Fragment offset in 8-byte units.</summary>
    public ushort FragmentOffset => (ushort)(FlagsAndOffset & 0x1fff);

    /// <summary>True for any fragment; only the first (offset 0) carries the L4 header.</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;

    public byte TimeToLive => Bytes[8];

    public byte Protocol => Bytes[9];

    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(Bytes[ChecksumOffset..]);

    public Ipv4Address Source => Ipv4Address.Read(Bytes[SourceOffset..]);

    public Ipv4Address Destination => Ipv4Address.Read(Bytes[DestinationOffset..]);

    /// <summary>The header's one's-complement sum, checksum included, is 0xffff.</summary>
    public bool IsChecksumValid => InternetChecksum.Compute(Header) == 0;

    public static bool TryParse(ReadOnlySpan<byte> packet, out Ipv4View result)
    {
        result = default;
        if (packet.Length < MinHeaderSize || packet[0] >> 4 != 4)
        {
            return false;
        }

        int headerLength = (packet[0] & 0x0f) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (headerLength < MinHeaderSize || totalLength < headerLength || totalLength > packet.Length)
        {
            return false;
        }

        result = new Ipv4View(packet[..totalLength]);
        return true;
    }

    /// <summary>Parses the IPv4 packet inside a whole Ethernet frame.</summary>
    public static bool TryParseFrame(ReadOnlySpan<byte> frame, out EthernetFrame ethernet, out Ipv4View result)
    {
        result = default;
        return EthernetFrame.TryParse(frame, out ethernet) && ethernet.EtherType == EtherType.Ipv4 && TryParse(ethernet.Payload, out result);
    }
}
