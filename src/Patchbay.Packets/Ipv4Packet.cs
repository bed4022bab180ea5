// Writes IPv4 headers (layout in Ipv4View) with a correct header checksum, and repairs the checksum after
// a field was rewritten in place (set-field on ipv4_src/dst, TTL).
using System.Buffers.Binary;

namespace Patchbay.Packets;

public static class Ipv4Packet
{
    public const byte DefaultTimeToLive = 64;

    /// <summary>
    /// Writes a 20-byte header (no options) for a payload of <paramref name="payloadLength"/> bytes and returns 20.
    /// </summary>
    public static int WriteHeader(
        Span<byte> destination,
        Ipv4Address source,
        Ipv4Address target,
        byte protocol,
        int payloadLength,
        byte timeToLive = DefaultTimeToLive,
        bool dontFragment = false,
        ushort identification = 0,
        byte dscp = 0)
    {
        int total = Ipv4View.MinHeaderSize + payloadLength;
        if (payloadLength < 0 || total > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an IPv4 packet is at most 65535 bytes");
        }

        if (destination.Length < Ipv4View.MinHeaderSize)
        {
            throw new ArgumentException($"an IPv4 header needs {Ipv4View.MinHeaderSize} bytes, {destination.Length} given", nameof(destination));
        }

        destination[0] = 0x45;
        destination[1] = (byte)(dscp << 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)total);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], dontFragment ? Ipv4View.DontFragmentFlag : (ushort)0);
        destination[8] = timeToLive;
        destination[9] = protocol;
        source.Write(destination[Ipv4View.SourceOffset..]);
        target.Write(destination[Ipv4View.DestinationOffset..]);
        UpdateChecksum(destination[..Ipv4View.MinHeaderSize]);
        return Ipv4View.MinHeaderSize;
    }

    /// <summary>Recomputes the checksum of <paramref name="header"/> (exactly ihl*4 bytes) in place.</summary>
    public static void UpdateChecksum(Span<byte> header)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4View.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4View.ChecksumOffset..], InternetChecksum.Compute(header));
    }

    /// <summary>A whole packet: header then <paramref name="payload"/>.</summary>
    public static byte[] Build(Ipv4Address source, Ipv4Address target, byte protocol, ReadOnlySpan<byte> payload, byte timeToLive = DefaultTimeToLive, bool dontFragment = false, ushort identification = 0)
    {
        var packet = new byte[Ipv4View.MinHeaderSize + payload.Length];
        WriteHeader(packet, source, target, protocol, payload.Length, timeToLive, dontFragment, identification);
        payload.CopyTo(packet.AsSpan(Ipv4View.MinHeaderSize));
        return packet;
    }
}
