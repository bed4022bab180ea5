// OFPT_PACKET_IN and OFPT_FLOW_REMOVED: the switch-to-controller messages that carry a match.
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Tests.Malformed;

namespace Patchbay.OpenFlow.Tests.Messages;

public class PacketInTests
{
    private const string Vector = "4-4-ofp_packet_in.packet";
    private const string RemovedVector = "libofproto-OFP13-flow_removed.packet";

    // Both messages put ofp_match right after fixed fields: packet-in at 24, flow-removed at 48.
    private const int PacketInMatchLengthOffset = 26;
    private const int FlowRemovedMatchLengthOffset = 50;

    [Fact]
    public void Encode_EmptyMatchNoData_WritesSizePlusPadding()
    {
        var message = new PacketIn(OfpConstants.NoBuffer, 0, PacketInReason.NoMatch, 0, 0, OfpMatch.Empty, ReadOnlyMemory<byte>.Empty);

        Assert.Equal(32, PacketIn.Size);
        Assert.Equal(PacketIn.Size + 2, message.ToBytes().Length);
    }

    [Fact]
    public void RoundTrip_TableMissWithFrame_EqualsOriginal()
    {
        byte[] frame = [.. Enumerable.Range(0, 60).Select(i => (byte)(i * 3))];
        var message = new PacketIn(OfpConstants.NoBuffer, 60, PacketInReason.NoMatch, 20, 0xffff_0000_0000_0001, new OfpMatch([Oxm.InPort(4), Oxm.Metadata(7)]), frame) { Xid = 11 };

        MessageKit.RoundTrip(message);
    }

    [Fact]
    public void Decode_OsKenVector_FieldsMatchJson()
    {
        PacketIn message = MessageKit.Vector<PacketIn>(Vector);

        Assert.Equal(2u, message.BufferId);
        Assert.Equal(42, message.TotalLen);
        Assert.Equal(PacketInReason.Action, message.Reason);
        Assert.Equal(1, message.TableId);
        Assert.Equal(283686884868096ul, message.Cookie);
        Assert.Equal(80, message.Match.Length);
        Assert.Equal(9, message.Match.Fields.Count);
        Assert.Equal(Oxm.InPort(6), message.Match.Fields[0]);
        Assert.Equal(Convert.FromBase64String("////////8gukffjqCAYAAQgABgQAAfILpH346goAAAEAAAAAAAAKAAAD"), message.Data.ToArray());
    }

    [Fact]
    public void InPort_OsKenVectorAndMatchWithoutInPort_PortOrNull()
    {
        Assert.Equal(6u, MessageKit.Vector<PacketIn>(Vector).InPort);
        Assert.Null(new PacketIn(1, 0, PacketInReason.NoMatch, 0, 0, OfpMatch.Empty, ReadOnlyMemory<byte>.Empty).InPort);
    }

    [Theory]
    [InlineData("4-59-ofp_packet_in.packet")]
    [InlineData("libofproto-OFP13-packet_in.packet")]
    public void Decode_OtherVectors_ReencodeIdentically(string vector)
    {
        MessageKit.Vector<PacketIn>(vector);
    }

    [Fact]
    public void Decode_OvsVector_DataAndTableMatchJson()
    {
        PacketIn message = MessageKit.Vector<PacketIn>("libofproto-OFP13-packet_in.packet");

        Assert.Equal(200u, message.BufferId);
        Assert.Equal(1000, message.TotalLen);
        Assert.Equal(100, message.TableId);
        Assert.Equal("hoge"u8.ToArray(), message.Data.ToArray());
    }

    [Theory]
    [InlineData(0x100)]
    [InlineData(3)]
    public void Decode_MatchLengthOutsideMessage_ThrowsBadMatchLength(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(Vector), PacketInMatchLengthOffset, length);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_NoRoomForPaddingAfterMatch_ThrowsTruncated()
    {
        // Cut the frame to header + fields + the 80-byte match: the two pad bytes are missing.
        byte[] frame = Corruption.Reframed(Corruption.Vector(Vector)[..104]);

        Assert.Equal(ProtocolErrorReason.Truncated, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_ShorterThanSmallestPacketIn_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector(Vector)[..30]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void FlowRemoved_EmptyMatch_WritesExactlySizeBytes()
    {
        Assert.Equal(56, FlowRemoved.Size);
        Assert.Equal(FlowRemoved.Size, new FlowRemoved().ToBytes().Length);
    }

    [Fact]
    public void FlowRemoved_RoundTrip_EqualsOriginal()
    {
        var message = new FlowRemoved
        {
            Xid = 1,
            Cookie = 0x0200_0000_0000_0007,
            Priority = 1000,
            Reason = FlowRemovedReason.IdleTimeout,
            TableId = 20,
            DurationSec = 12,
            DurationNsec = 5000,
            IdleTimeout = 10,
            PacketCount = 42,
            ByteCount = 4200,
            Match = new OfpMatch([Oxm.InPort(3), Oxm.EthType(0x0800)]),
        };

        MessageKit.RoundTrip(message);
    }

    [Fact]
    public void FlowRemoved_OvsVector_FieldsMatchJson()
    {
        FlowRemoved message = MessageKit.Vector<FlowRemoved>(RemovedVector);

        Assert.Equal(1311768467463790320ul, message.Cookie);
        Assert.Equal(100, message.Priority);
        Assert.Equal(FlowRemovedReason.IdleTimeout, message.Reason);
        Assert.Equal(1, message.TableId);
        Assert.Equal(600u, message.DurationSec);
        Assert.Equal(500u, message.DurationNsec);
        Assert.Equal(400, message.IdleTimeout);
        Assert.Equal(300, message.HardTimeout);
        Assert.Equal(200ul, message.PacketCount);
        Assert.Equal(100ul, message.ByteCount);
        Assert.Equal(70, message.Match.Length);
    }

    [Fact]
    public void FlowRemoved_OsKenVector_FieldsMatchJson()
    {
        FlowRemoved message = MessageKit.Vector<FlowRemoved>("4-40-ofp_flow_removed.packet");

        Assert.Equal(65535, message.Priority);
        Assert.Equal(3u, message.DurationSec);
        Assert.Equal(48825000u, message.DurationNsec);
        Assert.Equal(3, message.IdleTimeout);
        Assert.Equal(1ul, message.PacketCount);
        Assert.Equal(86ul, message.ByteCount);
    }

    [Fact]
    public void FlowRemoved_MatchLengthOverrunsMessage_ThrowsBadMatchLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(RemovedVector), FlowRemovedMatchLengthOffset, 0x80);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void FlowRemoved_BytesAfterMatch_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(RemovedVector), 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }
}
