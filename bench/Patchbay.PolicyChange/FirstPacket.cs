// The first packet of a conversation as an emulated switch hands it to the controller (as in bench/Patchbay.Scale): a 64-byte
// Ethernet/IPv4/UDP frame from one endpoint to another whose UDP payload carries a token and a magic
// number, so the PACKET_OUT that sends the frame on names the conversation it answers.
using System.Buffers.Binary;
using System.Net;

namespace Patchbay.PolicyChange;

public static class FirstPacket
{
    public const int FrameLength = 64;

    private const int Ipv4Offset = 14;
    private const int UdpOffset = Ipv4Offset + 20;
    private const int TokenOffset = UdpOffset + 8;
    private const uint Magic = 0x5042_5043; // "PBPC"

    /// <summary>A UDP frame from <paramref name="sourceMac"/>/<paramref name="sourceIp"/> to the destination, carrying <paramref name="token"/>.</summary>
    public static byte[] Build(ReadOnlySpan<byte> sourceMac, ReadOnlySpan<byte> destinationMac, IPAddress sourceIp, IPAddress destinationIp, uint token)
    {
        ArgumentNullException.ThrowIfNull(sourceIp);
        ArgumentNullException.ThrowIfNull(destinationIp);
        var frame = new byte[FrameLength];
        destinationMac.CopyTo(frame);
        sourceMac.CopyTo(frame.AsSpan(6));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        Span<byte> ip = frame.AsSpan(Ipv4Offset, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], FrameLength - Ipv4Offset);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)token);
        ip[8] = 64;
        ip[9] = 17;
        sourceIp.TryWriteBytes(ip[12..], out _);
        destinationIp.TryWriteBytes(ip[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip));
        Span<byte> udp = frame.AsSpan(UdpOffset, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 5001);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], FrameLength - UdpOffset);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(TokenOffset), token);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(TokenOffset + 4), Magic);
        return frame;
    }

    /// <summary>The token of a frame <see cref="Build"/> made; false for any other frame.</summary>
    public static bool TryReadToken(ReadOnlySpan<byte> frame, out uint token)
    {
        token = 0;
        if (frame.Length < TokenOffset + 8 || BinaryPrimitives.ReadUInt32BigEndian(frame[(TokenOffset + 4)..]) != Magic)
        {
            return false;
        }

        token = BinaryPrimitives.ReadUInt32BigEndian(frame[TokenOffset..]);
        return true;
    }

    // RFC 791: one's complement of the one's-complement sum of the header's 16-bit words, checksum field zero.
    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        sum = (sum & 0xffff) + (sum >> 16);
        sum += sum >> 16;
        return (ushort)~sum;
    }
}
