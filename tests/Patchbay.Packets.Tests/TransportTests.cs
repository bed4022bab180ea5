namespace Patchbay.Packets.Tests;

public class TransportTests
{
    private static readonly FrameAddresses Addresses = new(
        MacAddress.Parse("02:00:00:00:00:01"),
        MacAddress.Parse("02:00:00:00:00:02"),
        Ipv4Address.Parse("10.1.0.1"),
        Ipv4Address.Parse("10.1.0.2"));

    [Fact]
    public void WriteEcho_CapturedReplyFields_ReproducesCapturedIcmpByteExact()
    {
        byte[] capturedIcmp = CapturedFrames.EchoReply.AsSpan(34).ToArray();
        var message = new byte[capturedIcmp.Length];

        IcmpPacket.WriteEcho(message, IcmpType.EchoReply, 0x2a9c, 1, capturedIcmp.AsSpan(8));

        Assert.Equal(capturedIcmp, message);
    }

    [Fact]
    public void IcmpView_CapturedEchoRequest_ReadsEchoAndVerifiesChecksum()
    {
        Assert.True(Ipv4View.TryParseFrame(CapturedFrames.EchoRequest, out _, out Ipv4View ip));
        Assert.True(IcmpView.TryParse(ip.Payload, out IcmpView icmp));

        Assert.Equal(IcmpType.EchoRequest, icmp.Type);
        Assert.Equal(0, icmp.Code);
        Assert.True(icmp.IsEcho);
        Assert.Equal(0x6527, icmp.Checksum);
        Assert.Equal(0x2a9c, icmp.Identifier);
        Assert.Equal(1, icmp.Sequence);
        Assert.Equal(16, icmp.Payload.Length);
        Assert.True(icmp.IsChecksumValid);
    }

    [Fact]
    public void IcmpEcho_Frame1472BytesWithDf_Is1514BytesAndParsesBack()
    {
        byte[] frame = FrameBuilder.IcmpEcho(Addresses, 7, 9, new byte[1472], dontFragment: true);

        Assert.Equal(14 + 1500, frame.Length);
        Assert.True(Ipv4View.TryParseFrame(frame, out EthernetFrame ethernet, out Ipv4View ip));
        Assert.Equal(Addresses.DestinationMac, ethernet.Destination);
        Assert.Equal(1500, ip.TotalLength);
        Assert.True(ip.DontFragment);
        Assert.True(ip.IsChecksumValid);
        Assert.True(IcmpView.TryParse(ip.Payload, out IcmpView icmp));
        Assert.True(icmp.IsChecksumValid);
        Assert.Equal(1472, icmp.Payload.Length);
    }

    [Fact]
    public void Udp_Built_ParsesBackWithValidChecksum()
    {
        byte[] frame = FrameBuilder.Udp(Addresses, 5353, 53, "hello"u8);

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.True(UdpView.TryParse(ip.Payload, out UdpView udp));
        Assert.Equal(5353, udp.SourcePort);
        Assert.Equal(53, udp.DestinationPort);
        Assert.Equal(13, udp.Length);
        Assert.Equal("hello"u8.ToArray(), udp.Payload.ToArray());
        Assert.NotEqual(0, udp.Checksum);
        Assert.True(udp.IsChecksumValid(ip.Source, ip.Destination));
        Assert.False(udp.IsChecksumValid(ip.Source, Ipv4Address.Parse("10.1.0.3")));
    }

    [Fact]
    public void UdpView_ZeroChecksum_IsValidAsAbsent()
    {
        byte[] datagram = [0, 1, 0, 2, 0, 8, 0, 0];

        Assert.True(UdpView.TryParse(datagram, out UdpView udp));
        Assert.True(udp.IsChecksumValid(Ipv4Address.Any, Ipv4Address.Any));
    }

    [Fact]
    public void UdpView_LengthBeyondData_ReturnsFalse()
    {
        byte[] datagram = [0, 1, 0, 2, 0, 9, 0, 0];

        Assert.False(UdpView.TryParse(datagram, out _));
    }

    [Fact]
    public void Tcp_Built_ParsesBackWithFlagsAndValidChecksum()
    {
        byte[] frame = FrameBuilder.Tcp(Addresses, 40000, 80, TcpFlags.Syn | TcpFlags.Ack, 1000, 2000, "GET"u8);

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.Equal(IpProtocol.Tcp, ip.Protocol);
        Assert.True(TcpView.TryParse(ip.Payload, out TcpView tcp));
        Assert.Equal(40000, tcp.SourcePort);
        Assert.Equal(80, tcp.DestinationPort);
        Assert.Equal(1000u, tcp.SequenceNumber);
        Assert.Equal(2000u, tcp.AcknowledgmentNumber);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack, tcp.Flags);
        Assert.Equal(20, tcp.HeaderLength);
        Assert.Equal("GET"u8.ToArray(), tcp.Payload.ToArray());
        Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Fact]
    public void TcpView_PayloadByteChanged_ChecksumInvalid()
    {
        byte[] frame = FrameBuilder.Tcp(Addresses, 1, 2, TcpFlags.Psh, payload: "data"u8);
        frame[^1] ^= 0x40;

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.True(TcpView.TryParse(ip.Payload, out TcpView tcp));
        Assert.False(tcp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Fact]
    public void TcpView_DataOffsetBeyondSegment_ReturnsFalse()
    {
        var segment = new byte[20];
        segment[12] = 0xf0;

        Assert.False(TcpView.TryParse(segment, out _));
    }

    [Fact]
    public void Ipv6View_Header_ReadsAddressesAndNextHeader()
    {
        var packet = new byte[48];
        packet[0] = 0x60;
        packet[5] = 8;
        packet[6] = IpProtocol.Udp;
        packet[7] = 64;
        packet[8] = 0xfe;
        packet[24 + 15] = 1;

        Assert.True(Ipv6View.TryParse(packet, out Ipv6View ip));
        Assert.Equal(8, ip.PayloadLength);
        Assert.Equal(IpProtocol.Udp, ip.NextHeader);
        Assert.Equal(64, ip.HopLimit);
        Assert.Equal(0xfe, ip.Source[0]);
        Assert.Equal(1, ip.Destination[15]);
        Assert.Equal(8, ip.Payload.Length);
        Assert.False(Ipv6View.TryParse(packet.AsSpan(0, 47), out _));
    }

    [Fact]
    public void TryEchoReply_CapturedRequest_SwapsAddressesAndKeepsIdSequenceAndData()
    {
        byte[] request = FrameBuilder.IcmpEcho(Addresses, 0x2a9c, 3, "ping"u8, dontFragment: true);

        Assert.True(FrameBuilder.TryEchoReply(request, out byte[] reply));

        Assert.True(Ipv4View.TryParseFrame(reply, out EthernetFrame ethernet, out Ipv4View ip));
        Assert.Equal(Addresses.SourceMac, ethernet.Destination);
        Assert.Equal(Addresses.DestinationMac, ethernet.Source);
        Assert.Equal(Addresses.DestinationIp, ip.Source);
        Assert.Equal(Addresses.SourceIp, ip.Destination);
        Assert.True(ip.DontFragment);
        Assert.True(IcmpView.TryParse(ip.Payload, out IcmpView icmp));
        Assert.Equal(IcmpType.EchoReply, icmp.Type);
        Assert.Equal((0x2a9c, 3), (icmp.Identifier, icmp.Sequence));
        Assert.Equal("ping"u8.ToArray(), icmp.Payload.ToArray());
        Assert.True(icmp.IsChecksumValid);
        Assert.False(FrameBuilder.TryEchoReply(reply, out _));
        Assert.False(FrameBuilder.TryEchoReply(FrameBuilder.Udp(Addresses, 1, 2, []), out _));
    }
}
