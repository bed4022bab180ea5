namespace Patchbay.Packets.Tests;

public class ArpPacketTests
{
    private static readonly MacAddress Requester = MacAddress.Parse("02:00:0a:00:00:02");
    private static readonly MacAddress Answer = MacAddress.Parse("02:00:0a:00:00:03");
    private static readonly Ipv4Address RequesterIp = Ipv4Address.Parse("10.0.0.2");
    private static readonly Ipv4Address TargetIp = Ipv4Address.Parse("10.0.0.3");

    [Fact]
    public void BuildRequest_Parsed_IsBroadcastWhoHas()
    {
        byte[] frame = ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp);

        Assert.Equal(42, frame.Length);
        Assert.True(ArpView.TryParseFrame(frame, out EthernetFrame ethernet, out ArpView arp));
        Assert.Equal(MacAddress.Broadcast, ethernet.Destination);
        Assert.Equal(Requester, ethernet.Source);
        Assert.True(arp.IsRequest);
        Assert.Equal(Requester, arp.SenderMac);
        Assert.Equal(RequesterIp, arp.SenderIp);
        Assert.Equal(MacAddress.Zero, arp.TargetMac);
        Assert.Equal(TargetIp, arp.TargetIp);
    }

    [Fact]
    public void BuildReply_FromRequest_AnswersRequesterWithTargetAtAnswerMac()
    {
        byte[] request = ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp);

        byte[] reply = ArpPacket.BuildReply(request, Answer);

        Assert.True(ArpView.TryParseFrame(reply, out EthernetFrame ethernet, out ArpView arp));
        Assert.Equal(Requester, ethernet.Destination);
        Assert.Equal(Answer, ethernet.Source);
        Assert.True(arp.IsReply);
        Assert.Equal(Answer, arp.SenderMac);
        Assert.Equal(TargetIp, arp.SenderIp);
        Assert.Equal(Requester, arp.TargetMac);
        Assert.Equal(RequesterIp, arp.TargetIp);
    }

    [Fact]
    public void BuildReply_KnownBytes_MatchesRfc826Layout()
    {
        byte[] reply = ArpPacket.BuildReply(ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp), Answer);

        Assert.Equal(
            Convert.FromHexString("02000a00000202000a0000030806" + "0001080006040002" + "02000a0000030a000003" + "02000a0000020a000002"),
            reply);
    }

    [Fact]
    public void BuildReply_TaggedRequest_KeepsVlanTag()
    {
        byte[] request = ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp, vlanTci: 30);

        byte[] reply = ArpPacket.BuildReply(request, Answer);

        Assert.True(ArpView.TryParseFrame(reply, out EthernetFrame ethernet, out ArpView arp));
        Assert.Equal(30, ethernet.VlanId);
        Assert.True(arp.IsReply);
    }

    [Fact]
    public void TryBuildReply_ReplyOrIpv4Frame_ReturnsFalse()
    {
        byte[] reply = ArpPacket.BuildReply(Answer, TargetIp, Requester, RequesterIp);

        Assert.False(ArpPacket.TryBuildReply(reply, Answer, out _));
        Assert.False(ArpPacket.TryBuildReply(CapturedFrames.EchoRequest, Answer, out _));
        Assert.Throws<ArgumentException>(() => ArpPacket.BuildReply(CapturedFrames.EchoRequest, Answer));
    }

    [Fact]
    public void TryParse_NonEthernetHardwareOrTruncated_ReturnsFalse()
    {
        byte[] frame = ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp);
        byte[] token = (byte[])frame.Clone();
        token[15] = 6;

        Assert.False(ArpView.TryParseFrame(token, out _, out _));
        for (int length = 0; length < frame.Length; length++)
        {
            Assert.False(ArpView.TryParseFrame(frame.AsSpan(0, length), out _, out _), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void TryParse_PaddedToMinimumFrame_ViewExcludesPadding()
    {
        byte[] padded = new byte[60];
        ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp).CopyTo(padded, 0);

        Assert.True(ArpView.TryParseFrame(padded, out _, out ArpView arp));
        Assert.Equal(ArpView.Size, arp.Bytes.Length);
    }

    [Fact]
    public void TryWriteReply_IntoSpanAndBufferWriter_SameBytesAsBuildReply()
    {
        byte[] request = ArpPacket.BuildRequest(Requester, RequesterIp, TargetIp);
        var span = new byte[64];
        var writer = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.True(ArpPacket.TryWriteReply(request, Answer, span, out int written));
        Assert.True(ArpPacket.TryWriteReply(request, Answer, writer));

        byte[] expected = ArpPacket.BuildReply(request, Answer);
        Assert.Equal(expected, span.AsSpan(0, written).ToArray());
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        Assert.False(ArpPacket.TryWriteReply(request, Answer, new byte[41], out _));
    }
}
