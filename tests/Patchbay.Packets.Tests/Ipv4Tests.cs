namespace Patchbay.Packets.Tests;

public class Ipv4Tests
{
    [Fact]
    public void UpdateChecksum_WikipediaExample_IsB861()
    {
        byte[] header = (byte[])CapturedFrames.WikipediaIpv4Header.Clone();

        Ipv4Packet.UpdateChecksum(header);

        Assert.Equal(0xb8, header[10]);
        Assert.Equal(0x61, header[11]);
    }

    [Fact]
    public void TryParseFrame_CapturedEchoRequest_ReadsHeaderAndVerifiesChecksum()
    {
        Assert.True(Ipv4View.TryParseFrame(CapturedFrames.EchoRequest, out _, out Ipv4View ip));

        Assert.Equal(20, ip.HeaderLength);
        Assert.Equal(44, ip.TotalLength);
        Assert.Equal(0xc065, ip.Identification);
        Assert.True(ip.DontFragment);
        Assert.False(ip.IsFragment);
        Assert.Equal(64, ip.TimeToLive);
        Assert.Equal(IpProtocol.Icmp, ip.Protocol);
        Assert.Equal(0x7c69, ip.HeaderChecksum);
        Assert.Equal(Ipv4Address.Parse("127.0.0.1"), ip.Source);
        Assert.Equal(Ipv4Address.Parse("127.0.0.1"), ip.Destination);
        Assert.True(ip.IsChecksumValid);
        Assert.Equal(24, ip.Payload.Length);
    }

    [Fact]
    public void WriteHeader_CapturedReplyFields_ReproducesCapturedHeaderByteExact()
    {
        var header = new byte[20];

        Ipv4Packet.WriteHeader(header, Ipv4Address.Parse("127.0.0.1"), Ipv4Address.Parse("127.0.0.1"), IpProtocol.Icmp, 24, identification: 0xc066);

        Assert.Equal(CapturedFrames.EchoReply.AsSpan(14, 20).ToArray(), header);
    }

    [Fact]
    public void IsChecksumValid_OneHeaderByteChanged_IsFalse()
    {
        byte[] frame = (byte[])CapturedFrames.EchoRequest.Clone();
        frame[14 + 8]--;

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip));
        Assert.False(ip.IsChecksumValid);
    }

    [Fact]
    public void TryParse_EthernetPaddingAfterTotalLength_PayloadEndsAtTotalLength()
    {
        byte[] packet = Ipv4Packet.Build(Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), IpProtocol.Udp, new byte[8]);
        byte[] padded = [.. packet, 0, 0, 0, 0, 0, 0];

        Assert.True(Ipv4View.TryParse(padded, out Ipv4View ip));
        Assert.Equal(28, ip.Bytes.Length);
        Assert.Equal(8, ip.Payload.Length);
    }

    [Theory]
    [InlineData(0, 0x65)]
    [InlineData(0, 0x44)]
    [InlineData(2, 0xff)]
    [InlineData(3, 0x10)]
    public void TryParse_BadVersionIhlOrTotalLength_ReturnsFalse(int index, byte value)
    {
        byte[] packet = Ipv4Packet.Build(Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), IpProtocol.Udp, new byte[8]);
        packet[index] = value;

        Assert.False(Ipv4View.TryParse(packet, out _));
    }

    [Fact]
    public void TryParse_FragmentFields_AreReported()
    {
        byte[] packet = Ipv4Packet.Build(Ipv4Address.Parse("10.0.0.1"), Ipv4Address.Parse("10.0.0.2"), IpProtocol.Udp, new byte[8]);
        packet[6] = 0x20;
        packet[7] = 0x03;

        Assert.True(Ipv4View.TryParse(packet, out Ipv4View ip));
        Assert.True(ip.MoreFragments);
        Assert.Equal(3, ip.FragmentOffset);
        Assert.True(ip.IsFragment);
    }

    [Fact]
    public void TryParseFrame_EveryStrictPrefixOfCapturedEcho_RefusedAndNeverThrows()
    {
        byte[] frame = CapturedFrames.EchoRequest;

        for (int length = 0; length < frame.Length; length++)
        {
            Assert.False(Ipv4View.TryParseFrame(frame.AsSpan(0, length), out _, out _), $"prefix of {length} bytes");
        }

        Assert.True(Ipv4View.TryParseFrame(frame, out _, out _));
    }
}
