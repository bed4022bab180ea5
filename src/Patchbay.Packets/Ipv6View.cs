// IPv6 fixed header (RFC 8200): version:4 traffic class:8 flow label:20, payload length u16, next header u8,
// hop limit u8, source[16], destination[16]. Extension headers are not walked: NextHeader is the first one.
using System.Buffers.Binary;

namespace Patchbay.Packets;

public readonly ref struct Ipv6View
{
    public const int HeaderSize = 40;

    public const int AddressSize = 16;

    private Ipv6View(ReadOnlySpan<byte> packet) => Bytes = packet;

    /// <summary>Header and payload, up to 40 + payload length.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public byte TrafficClass => (byte)(BinaryPrimitives.ReadUInt16BigEndian(Bytes) >> 4);

    public uint FlowLabel => BinaryPrimitives.ReadUInt32BigEndian(Bytes) & 0x000f_ffff;

    public ushort PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(Bytes[4..]);

    public byte NextHeader => Bytes[6];

    public byte HopLimit => Bytes[7];

    public ReadOnlySpan<byte> Source => Bytes.Slice(8, AddressSize);

    public ReadOnlySpan<byte> Destination => Bytes.Slice(24, AddressSize);

    public ReadOnlySpan<byte> Payload => Bytes[HeaderSize..];

    public static bool TryParse(ReadOnlySpan<byte> packet, out Ipv6View result)
    {
        result = default;
        if (packet.Length < HeaderSize || packet[0] >> 4 != 6)
        {
            return false;
        }

        int total = HeaderSize + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        if (total > packet.Length)
        {
            return false;
        }

        result = new Ipv6View(packet[..total]);
        return true;
    }
}
