// The PACKET_INs an emulated switch sends. The codec encodes one template (spec 1.3.5, 7.4.1: match with
// in_port, pad[2], a 64-byte Ethernet/IPv4/UDP frame); each packet then patches only what changes (xid,
// buffer_id, in_port, MACs, IPs, IPv4 checksum, token) in place, so sending allocates nothing.
using System.Buffers.Binary;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.LoadGen;

/// <summary>One new conversation: the frame's addresses and the port it arrives on.</summary>
public readonly record struct Conversation(uint InPort, ulong SourceMac, ulong DestinationMac, uint SourceIp, uint DestinationIp);

public sealed class PacketInWriter
{
    /// <summary>Ethernet (14) + IPv4 (20) + UDP (8) + 22 bytes of payload: the 64-byte frame cbench sends too.</summary>
    public const int FrameLength = 64;

    /// <summary>Where in the frame the token sits (the UDP payload), so a PACKET_OUT that carries the frame back names its PACKET_IN.</summary>
    public const int TokenOffset = 42;

    /// <summary>Follows the token; a PACKET_OUT whose frame lacks it is not one of ours.</summary>
    public const uint Magic = 0x50424c47; // "PBLG"

    private const int BufferIdOffset = 8;
    private const int InPortValueOffset = 32; // ofp_packet_in (24) + ofp_match header (4) + OXM header (4)
    private const int Ipv4Offset = 14;
    private const int UdpOffset = 34;
    private const int UdpPayloadLength = FrameLength - UdpOffset - 8;

    private readonly byte[] _template;
    private readonly int _dataOffset;

    /// <param name="tableId">The table whose miss sent the packet (Patchbay's real pipeline misses in table 20).</param>
    public PacketInWriter(byte tableId)
    {
        var frame = new byte[FrameLength];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        Span<byte> ip = frame.AsSpan(Ipv4Offset, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], FrameLength - Ipv4Offset);
        ip[8] = 64;
        ip[9] = 17;
        Span<byte> udp = frame.AsSpan(UdpOffset, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 5001);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 8 + UdpPayloadLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(TokenOffset + 4), Magic);
        var packetIn = new PacketIn(OfpConstants.NoBuffer, FrameLength, PacketInReason.NoMatch, tableId, 0, new OfpMatch([Oxm.InPort(1)]), frame);
        _template = packetIn.ToBytes();
        _dataOffset = _template.Length - FrameLength;
    }

    /// <summary>Bytes of every PACKET_IN this writer produces.</summary>
    public int Length => _template.Length;

    /// <summary>Writes one PACKET_IN into <paramref name="destination"/> and returns its length.</summary>
    public int Write(Span<byte> destination, uint xid, uint bufferId, in Conversation conversation, uint token)
    {
        Span<byte> message = destination[.._template.Length];
        _template.CopyTo(message);
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], xid);
        BinaryPrimitives.WriteUInt32BigEndian(message[BufferIdOffset..], bufferId);
        BinaryPrimitives.WriteUInt32BigEndian(message[InPortValueOffset..], conversation.InPort);
        Span<byte> frame = message[_dataOffset..];
        WriteMac(frame, conversation.DestinationMac);
        WriteMac(frame[6..], conversation.SourceMac);
        Span<byte> ip = frame.Slice(Ipv4Offset, 20);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)token);
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], conversation.SourceIp);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], conversation.DestinationIp);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip));
        BinaryPrimitives.WriteUInt32BigEndian(frame[TokenOffset..], token);
        return _template.Length;
    }

    /// <summary>The token of a frame this writer produced (as a PACKET_OUT carries it back); false for any other frame.</summary>
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

    private static void WriteMac(Span<byte> destination, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)mac);
    }

    // RFC 791: one's complement of the one's-complement sum of the header's 16-bit words, checksum field zeroed.
    private static ushort Ipv4Checksum(Span<byte> header)
    {
        header[10] = 0;
        header[11] = 0;
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
