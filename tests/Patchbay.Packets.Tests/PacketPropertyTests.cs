// Property tests: any bytes handed to any parser are accepted or refused, never thrown on (they come from
// PACKET_IN), and whatever the builders write parses back to the values given.
using FsCheck.Xunit;

namespace Patchbay.Packets.Tests;

public class PacketPropertyTests
{
    [Property(MaxTest = 3000)]
    public void TryParse_RandomBytes_NeverThrows(byte[] bytes)
    {
        ParseAll(bytes);
    }

    [Property(MaxTest = 3000)]
    public void TryParse_CapturedFrameWithOneByteChangedAndTruncated_NeverThrows(ushort index, byte value, ushort length)
    {
        byte[] frame = (byte[])CapturedFrames.EchoRequest.Clone();
        frame[index % frame.Length] = value;

        ParseAll(frame.AsSpan(0, length % (frame.Length + 1)));
    }

    [Property]
    public void Udp_ArbitraryFields_ParseBackWithValidChecksums(ulong srcMac, ulong dstMac, uint srcIp, uint dstIp, ushort srcPort, ushort dstPort, byte[] payload)
    {
        var addresses = new FrameAddresses(new MacAddress(srcMac & 0xffff_ffff_ffff), new MacAddress(dstMac & 0xffff_ffff_ffff), new Ipv4Address(srcIp), new Ipv4Address(dstIp));
        byte[] frame = FrameBuilder.Udp(addresses, srcPort, dstPort, payload);

        Assert.True(Ipv4View.TryParseFrame(frame, out EthernetFrame ethernet, out Ipv4View ip));
        Assert.Equal(addresses.SourceMac, ethernet.Source);
        Assert.Equal(addresses.DestinationMac, ethernet.Destination);
        Assert.Equal(addresses.SourceIp, ip.Source);
        Assert.Equal(addresses.DestinationIp, ip.Destination);
        Assert.True(ip.IsChecksumValid);
        Assert.True(UdpView.TryParse(ip.Payload, out UdpView udp));
        Assert.Equal(srcPort, udp.SourcePort);
        Assert.Equal(dstPort, udp.DestinationPort);
        Assert.Equal(payload, udp.Payload.ToArray());
        Assert.True(udp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Property]
    public void Tcp_ArbitraryFields_ParseBackWithValidChecksums(uint srcIp, uint dstIp, ushort srcPort, ushort dstPort, byte flags, uint seq, uint ack, byte[] payload)
    {
        var addresses = new FrameAddresses(MacAddress.Zero, MacAddress.Broadcast, new Ipv4Address(srcIp), new Ipv4Address(dstIp));
        byte[] frame = FrameBuilder.Tcp(addresses, srcPort, dstPort, (TcpFlags)flags, seq, ack, payload);

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.True(TcpView.TryParse(ip.Payload, out TcpView tcp));
        Assert.Equal((TcpFlags)flags, tcp.Flags);
        Assert.Equal(seq, tcp.SequenceNumber);
        Assert.Equal(ack, tcp.AcknowledgmentNumber);
        Assert.Equal(payload, tcp.Payload.ToArray());
        Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Property]
    public void IcmpEcho_ArbitraryFields_ParseBackWithValidChecksums(ushort identifier, ushort sequence, bool reply, byte[] payload)
    {
        var addresses = new FrameAddresses(MacAddress.Zero, MacAddress.Broadcast, new Ipv4Address(1), new Ipv4Address(2));
        byte[] frame = FrameBuilder.IcmpEcho(addresses, identifier, sequence, payload, reply);

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.True(IcmpView.TryParse(ip.Payload, out IcmpView icmp));
        Assert.Equal(reply ? IcmpType.EchoReply : IcmpType.EchoRequest, icmp.Type);
        Assert.Equal(identifier, icmp.Identifier);
        Assert.Equal(sequence, icmp.Sequence);
        Assert.True(icmp.IsChecksumValid);
    }

    [Property]
    public void ArpReply_ArbitraryAddresses_ParsesBack(ulong requester, uint requesterIp, uint targetIp, ulong answer)
    {
        var requesterMac = new MacAddress(requester & 0xffff_ffff_ffff);
        var answerMac = new MacAddress(answer & 0xffff_ffff_ffff);
        byte[] reply = ArpPacket.BuildReply(ArpPacket.BuildRequest(requesterMac, new Ipv4Address(requesterIp), new Ipv4Address(targetIp)), answerMac);

        Assert.True(ArpView.TryParseFrame(reply, out EthernetFrame ethernet, out ArpView arp));
        Assert.Equal(requesterMac, ethernet.Destination);
        Assert.Equal(answerMac, arp.SenderMac);
        Assert.Equal(new Ipv4Address(targetIp), arp.SenderIp);
        Assert.Equal(new Ipv4Address(requesterIp), arp.TargetIp);
    }

    [Property]
    public void InternetChecksum_DataWithItsChecksumAppended_SumsToZero(byte[] data)
    {
        byte[] even = data.Length % 2 == 0 ? data : [.. data, 0];
        ushort checksum = InternetChecksum.Compute(even);

        Assert.Equal(0, InternetChecksum.Compute([.. even, (byte)(checksum >> 8), (byte)checksum]));
    }

    private static void ParseAll(ReadOnlySpan<byte> bytes)
    {
        if (EthernetFrame.TryParse(bytes, out EthernetFrame ethernet))
        {
            _ = ethernet.Destination;
            _ = ethernet.VlanId;
            _ = ethernet.Payload.Length;
            ParseL3(ethernet.Payload);
        }

        ParseL3(bytes);
    }

    private static void ParseL3(ReadOnlySpan<byte> bytes)
    {
        if (ArpView.TryParse(bytes, out ArpView arp))
        {
            _ = arp.TargetIp;
            _ = arp.SenderMac;
        }

        if (Ipv6View.TryParse(bytes, out Ipv6View ip6))
        {
            _ = ip6.Payload.Length;
        }

        if (Ipv4View.TryParse(bytes, out Ipv4View ip))
        {
            _ = ip.IsChecksumValid;
            _ = ip.Payload.Length;
            ParseL4(ip.Payload, ip.Source, ip.Destination);
        }

        ParseL4(bytes, Ipv4Address.Any, Ipv4Address.Any);
    }

    private static void ParseL4(ReadOnlySpan<byte> bytes, Ipv4Address source, Ipv4Address destination)
    {
        if (IcmpView.TryParse(bytes, out IcmpView icmp))
        {
            _ = icmp.IsChecksumValid;
            _ = icmp.Payload.Length;
        }

        if (UdpView.TryParse(bytes, out UdpView udp))
        {
            _ = udp.IsChecksumValid(source, destination);
            _ = udp.Payload.Length;
        }

        if (TcpView.TryParse(bytes, out TcpView tcp))
        {
            _ = tcp.IsChecksumValid(source, destination);
            _ = tcp.Options.Length;
            _ = tcp.Payload.Length;
        }
    }
}
