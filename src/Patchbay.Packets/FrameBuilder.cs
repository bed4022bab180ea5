// Whole Ethernet frames for tests, the controller's packet-outs and trace: Ethernet + IPv4 + ICMP/UDP/TCP,
// every checksum correct. Each builder writes into an IBufferWriter or returns a new array.
using System.Buffers;

namespace Patchbay.Packets;

/// <summary>The L2/L3 addresses of a frame: who sends to whom.</summary>
public readonly record struct FrameAddresses(MacAddress SourceMac, MacAddress DestinationMac, Ipv4Address SourceIp, Ipv4Address DestinationIp);

public static class FrameBuilder
{
    private const int Ipv4FrameOverhead = EthernetFrame.HeaderSize + Ipv4View.MinHeaderSize;

    /// <summary>An ICMP echo request (or reply) frame; <paramref name="dontFragment"/> sets DF.</summary>
    public static int WriteIcmpEcho(IBufferWriter<byte> writer, FrameAddresses addresses, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload, bool reply = false, bool dontFragment = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int l4 = IcmpView.HeaderSize + payload.Length;
        Span<byte> span = writer.GetSpan(Ipv4FrameOverhead + l4);
        int offset = WriteIpv4Headers(span, addresses, IpProtocol.Icmp, l4, dontFragment);
        offset += IcmpPacket.WriteEcho(span[offset..], reply ? IcmpType.EchoReply : IcmpType.EchoRequest, identifier, sequence, payload);
        writer.Advance(offset);
        return offset;
    }

    public static byte[] IcmpEcho(FrameAddresses addresses, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload, bool reply = false, bool dontFragment = false)
    {
        var writer = new ArrayBufferWriter<byte>(Ipv4FrameOverhead + IcmpView.HeaderSize + payload.Length);
        WriteIcmpEcho(writer, addresses, identifier, sequence, payload, reply, dontFragment);
        return writer.WrittenSpan.ToArray();
    }

    public static int WriteUdp(IBufferWriter<byte> writer, FrameAddresses addresses, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int l4 = UdpView.HeaderSize + payload.Length;
        Span<byte> span = writer.GetSpan(Ipv4FrameOverhead + l4);
        int offset = WriteIpv4Headers(span, addresses, IpProtocol.Udp, l4, dontFragment: false);
        offset += UdpPacket.Write(span[offset..], addresses.SourceIp, addresses.DestinationIp, sourcePort, destinationPort, payload);
        writer.Advance(offset);
        return offset;
    }

    public static byte[] Udp(FrameAddresses addresses, ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var writer = new ArrayBufferWriter<byte>(Ipv4FrameOverhead + UdpView.HeaderSize + payload.Length);
        WriteUdp(writer, addresses, sourcePort, destinationPort, payload);
        return writer.WrittenSpan.ToArray();
    }

    public static int WriteTcp(IBufferWriter<byte> writer, FrameAddresses addresses, ushort sourcePort, ushort destinationPort, TcpFlags flags, uint sequenceNumber, uint acknowledgmentNumber, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int l4 = TcpView.MinHeaderSize + payload.Length;
        Span<byte> span = writer.GetSpan(Ipv4FrameOverhead + l4);
        int offset = WriteIpv4Headers(span, addresses, IpProtocol.Tcp, l4, dontFragment: true);
        offset += TcpPacket.Write(span[offset..], addresses.SourceIp, addresses.DestinationIp, sourcePort, destinationPort, sequenceNumber, acknowledgmentNumber, flags, 65535, payload);
        writer.Advance(offset);
        return offset;
    }

    public static byte[] Tcp(FrameAddresses addresses, ushort sourcePort, ushort destinationPort, TcpFlags flags, uint sequenceNumber = 0, uint acknowledgmentNumber = 0, ReadOnlySpan<byte> payload = default)
    {
        var writer = new ArrayBufferWriter<byte>(Ipv4FrameOverhead + TcpView.MinHeaderSize + payload.Length);
        WriteTcp(writer, addresses, sourcePort, destinationPort, flags, sequenceNumber, acknowledgmentNumber, payload);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The echo reply a host sends for the echo request in <paramref name="requestFrame"/>: MACs and IPs swapped,
    /// same identifier, sequence and data. False when the frame is not an IPv4 ICMP echo request.
    /// </summary>
    public static bool TryEchoReply(ReadOnlySpan<byte> requestFrame, out byte[] replyFrame)
    {
        replyFrame = [];
        if (!Ipv4View.TryParseFrame(requestFrame, out EthernetFrame ethernet, out Ipv4View ip)
            || ip.Protocol != IpProtocol.Icmp
            || ip.IsFragment
            || !IcmpView.TryParse(ip.Payload, out IcmpView icmp)
            || icmp.Type != IcmpType.EchoRequest)
        {
            return false;
        }

        var addresses = new FrameAddresses(ethernet.Destination, ethernet.Source, ip.Destination, ip.Source);
        replyFrame = IcmpEcho(addresses, icmp.Identifier, icmp.Sequence, icmp.Payload, reply: true, dontFragment: ip.DontFragment);
        return true;
    }

    private static int WriteIpv4Headers(Span<byte> span, FrameAddresses addresses, byte protocol, int l4Length, bool dontFragment)
    {
        int offset = EthernetFrame.WriteHeader(span, addresses.DestinationMac, addresses.SourceMac, EtherType.Ipv4);
        offset += Ipv4Packet.WriteHeader(span[offset..], addresses.SourceIp, addresses.DestinationIp, protocol, l4Length, dontFragment: dontFragment);
        return offset;
    }
}
