// OFPT_PACKET_OUT: the 24-byte fixed part, vectors, and an actions_len that lies.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;

namespace Patchbay.OpenFlow.Tests.Messages;

public class PacketOutTests
{
    private const string Vector = "4-1-ofp_packet_out.packet";
    private const int ActionsLenOffset = 16;

    [Fact]
    public void Encode_NoActionsNoData_WritesExactlySizeBytes()
    {
        byte[] bytes = new PacketOut(7, OfpPortNo.Controller, [], ReadOnlyMemory<byte>.Empty).ToBytes();

        Assert.Equal(24, PacketOut.Size);
        Assert.Equal(PacketOut.Size, bytes.Length);
    }

    [Fact]
    public void Encode_ActionsAndData_ActionsLenCountsOnlyActions()
    {
        byte[] bytes = new PacketOut(OfpConstants.NoBuffer, 1, [new OutputAction(2)], new byte[] { 0xaa, 0xbb }).ToBytes();

        Assert.Equal(PacketOut.Size + OutputAction.Size + 2, bytes.Length);
        Assert.Equal("0010", Convert.ToHexString(bytes, ActionsLenOffset, 2));
        Assert.Equal("AABB", Convert.ToHexString(bytes, bytes.Length - 2, 2));
    }

    [Fact]
    public void RoundTrip_FirstPacketOfConversation_EqualsOriginal()
    {
        byte[] frame = [.. Enumerable.Range(0, 98).Select(i => (byte)i)];
        var message = new PacketOut(OfpConstants.NoBuffer, 3, [new SetFieldAction(Oxm.EthDst([2, 0, 0, 0, 0, 9])), new OutputAction(OfpPortNo.Table)], frame) { Xid = 5 };

        MessageKit.RoundTrip(message);
    }

    [Fact]
    public void Decode_OsKenVector_FieldsMatchJson()
    {
        PacketOut message = MessageKit.Vector<PacketOut>(Vector);

        Assert.Equal(OfpConstants.NoBuffer, message.BufferId);
        Assert.Equal(OfpPortNo.Controller, message.InPort);
        Assert.Equal(new OutputAction(OfpPortNo.All, 0xffff), Assert.Single(message.Actions));
        Assert.Equal(0x8a - PacketOut.Size - OutputAction.Size, message.Data.Length);
        Assert.Equal(new byte[] { 0xf2, 0x0b, 0xa4, 0xd0, 0x3f, 0x70 }, message.Data[..6].ToArray());
    }

    [Fact]
    public void Decode_OvsVector_ReencodesIdentically()
    {
        PacketOut message = MessageKit.Vector<PacketOut>("libofproto-OFP13-ofp_packet_out_packet_library.packet");

        Assert.Equal(OfpPortNo.Controller, message.InPort);
        Assert.Equal(new OutputAction(OfpPortNo.All, 0xffff), Assert.Single(message.Actions));
    }

    [Theory]
    [InlineData(0x100)]
    [InlineData(8)]
    [InlineData(12)]
    public void Decode_ActionsLenDisagreesWithActions_ThrowsBadActionLength(ushort actionsLen)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), ActionsLenOffset, actionsLen);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ShorterThanFixedPart_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector(Vector)[..20]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }
}
