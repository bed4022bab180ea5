// PacketInView: the zero-allocation PACKET_IN reader must see what PacketIn sees, reject what PacketIn
// rejects with the same reason (its zero allocation is measured in bench/).
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;

namespace Patchbay.OpenFlow.Tests.Messages;

public class PacketInViewTests
{
    private const string Vector = "4-4-ofp_packet_in.packet";

    [Theory]
    [InlineData(Vector)]
    [InlineData("4-59-ofp_packet_in.packet")]
    [InlineData("libofproto-OFP13-packet_in.packet")]
    public void Parse_Vector_AgreesWithPacketIn(string vector)
    {
        byte[] frame = MessageKit.VectorBytes(vector);
        var message = (PacketIn)OfpMessageReader.Decode(frame);

        PacketInView view = PacketInView.Parse(frame);

        Assert.Equal(message.Xid, view.Xid);
        Assert.Equal(message.BufferId, view.BufferId);
        Assert.Equal(message.TotalLen, view.TotalLen);
        Assert.Equal(message.Reason, view.Reason);
        Assert.Equal(message.TableId, view.TableId);
        Assert.Equal(message.Cookie, view.Cookie);
        Assert.Equal(message.Data.ToArray(), view.Data.ToArray());
        Assert.Equal(message.Match.Length - OfpMatch.HeaderSize, view.MatchOxms.Length);
        Assert.Equal(message, view.ToMessage());
    }

    [Fact]
    public void TryGetInPort_OsKenVector_Port6()
    {
        Assert.True(PacketInView.TryParse(MessageKit.VectorBytes(Vector), out PacketInView view));

        Assert.True(view.TryGetInPort(out uint port));
        Assert.Equal(6u, port);
    }

    [Fact]
    public void TryGetInPort_InPortAfterOtherFields_Found()
    {
        byte[] frame = new PacketIn(1, 0, PacketInReason.NoMatch, 0, 0, new OfpMatch([Oxm.Metadata(9), Oxm.EthType(0x86dd), Oxm.InPort(0xabcd)]), new byte[] { 1 }).ToBytes();

        PacketInView view = PacketInView.Parse(frame);

        Assert.True(view.TryGetInPort(out uint port));
        Assert.Equal(0xabcdu, port);
        Assert.True(view.TryGetField(OxmBasicField.EthType, out ReadOnlySpan<byte> etherType));
        Assert.Equal(new byte[] { 0x86, 0xdd }, etherType.ToArray());
    }

    [Fact]
    public void TryGetInPort_MatchWithoutInPort_False()
    {
        byte[] frame = new PacketIn(1, 0, PacketInReason.NoMatch, 0, 0, new OfpMatch([Oxm.EthType(0x0800)]), ReadOnlyMemory<byte>.Empty).ToBytes();

        PacketInView view = PacketInView.Parse(frame);

        Assert.False(view.TryGetInPort(out _));
        Assert.True(view.Data.IsEmpty);
    }

    public static TheoryData<string, byte[]> Malformed()
    {
        byte[] good = Corruption.Vector(Vector);
        return new TheoryData<string, byte[]>
        {
            { "length field disagrees", Corruption.WithU16(good, 2, (ushort)(good.Length + 1)) },
            { "version 1", Corruption.WithU8(good, 0, 1) },
            { "too short", Corruption.Reframed(good[..30]) },
            { "match type 0", Corruption.WithU16(good, 24, 0) },
            { "match length 3", Corruption.WithU16(good, 26, 3) },
            { "match overruns", Corruption.WithU16(good, 26, 0x100) },
            { "first OXM length overruns", Corruption.WithU8(good, 31, 0xff) },
            { "in_port OXM length 2", Corruption.WithU8(good, 31, 2) },
            { "no padding after match", Corruption.Reframed(good[..104]) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedFrame_ThrowsSameReasonAsDecode(string corruption, byte[] frame)
    {
        ProtocolErrorReason expected = Assert.Throws<OpenFlowProtocolException>(() => OfpMessageReader.Decode(frame)).Reason;

        OpenFlowProtocolException thrown = Assert.Throws<OpenFlowProtocolException>(() => PacketInView.Parse(frame));

        Assert.True(expected == thrown.Reason, $"{corruption}: Decode says {expected}, PacketInView says {thrown.Reason}");
        Assert.False(PacketInView.TryParse(frame, out _));
    }

    [Fact]
    public void TryParse_NotAPacketIn_False()
    {
        Assert.False(PacketInView.TryParse(MessageKit.VectorBytes("4-40-ofp_flow_removed.packet"), out _));
        Assert.Equal(ProtocolErrorReason.BadValue, Assert.Throws<OpenFlowProtocolException>(() => PacketInView.Parse(MessageKit.VectorBytes("4-40-ofp_flow_removed.packet"))).Reason);
    }
}
