// Nested length fields inside whole messages taken from the golden vectors: each test rewrites one
// length (match, OXM, action, instruction, bucket, band, queue, multipart entry) and expects the
// reason that names that structure, through Decode and TryRead alike.
namespace Patchbay.OpenFlow.Tests.Malformed;

public class MalformedNestedLengthTests
{
    // 4-3-ofp_flow_mod: match at 48 (length 22: in_port, eth_src), goto_table instruction at 72.
    private const string FlowModWithGoto = "4-3-ofp_flow_mod.packet";

    // 4-2-ofp_flow_mod: match at 48 (length 14), write_actions at 64 (len 176), its first action (set_field) at 72.
    private const string FlowModWithActions = "4-2-ofp_flow_mod.packet";

    [Theory]
    [InlineData(3)]
    [InlineData(0xff00)]
    public void Decode_FlowModMatchLengthInvalid_ThrowsBadMatchLength(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(FlowModWithGoto), 50, length);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FlowModOxmLengthOverrunsMatch_ThrowsBadOxmLength()
    {
        // in_port's oxm_length at 48 + 4 + 3.
        byte[] frame = Corruption.WithU8(Corruption.Vector(FlowModWithGoto), 55, 0xff);

        Assert.Equal(ProtocolErrorReason.BadOxmLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FlowRemovedMatchPaddingCut_ThrowsBadMatchLength()
    {
        // 4-40-ofp_flow_removed ends with a 14-byte match padded to 16; drop the two padding bytes.
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-40-ofp_flow_removed.packet")[..62]);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_PacketInMatchLengthOverrunsMessage_ThrowsBadMatchLength()
    {
        // 4-4-ofp_packet_in: match length at 24 + 2.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-4-ofp_packet_in.packet"), 26, 0xfff0);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0xfff8)]
    [InlineData(4)]
    [InlineData(12)]
    public void Decode_ActionLengthInvalid_ThrowsBadActionLength(ushort length)
    {
        // set_field's len at 72 + 2: overrunning its instruction, below the 8-byte minimum, or not a multiple of 8.
        byte[] frame = Corruption.WithU16(Corruption.Vector(FlowModWithActions), 74, length);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(4)]
    public void Decode_SetFieldOxmLengthInvalid_ThrowsBadOxmLength(byte length)
    {
        // set_field's OXM (vlan_vid, 2 bytes) at 76, its oxm_length at 79: overrunning the action, or not vlan_vid's size.
        byte[] frame = Corruption.WithU8(Corruption.Vector(FlowModWithActions), 79, length);

        Assert.Equal(ProtocolErrorReason.BadOxmLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_PacketOutActionsLengthOverrunsMessage_ThrowsBadActionLength()
    {
        // 4-1-ofp_packet_out: actions_len at 16.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-1-ofp_packet_out.packet"), 16, 0xfff0);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0xfff8)]
    [InlineData(4)]
    [InlineData(12)]
    public void Decode_InstructionLengthInvalid_ThrowsBadInstructionLength(ushort length)
    {
        // write_actions' len at 64 + 2.
        byte[] frame = Corruption.WithU16(Corruption.Vector(FlowModWithActions), 66, length);

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_GotoTableLengthDisagreesWithFixedSize_ThrowsBadInstructionLength()
    {
        // goto_table is exactly 8 bytes; the vector's instruction list is 8 bytes, so claim 16 and grow the frame.
        byte[] grown = Corruption.Reframed([.. Corruption.Vector(FlowModWithGoto), 0, 0, 0, 0, 0, 0, 0, 0]);
        byte[] frame = Corruption.WithU16(grown, 74, 16);

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_GroupModBucketActionOverrunsBucket_ThrowsBadActionLength()
    {
        // 4-21-ofp_group_mod: bucket at 16 (len 32), its output action at 32 with len at 34.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-21-ofp_group_mod.packet"), 34, 24);

        Assert.Equal(ProtocolErrorReason.BadActionLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(0xff00)]
    public void Decode_GroupModBucketLengthInvalid_ThrowsBadElementLength(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-21-ofp_group_mod.packet"), 16, length);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(0xff00)]
    public void Decode_MeterModBandLengthInvalid_ThrowsBadElementLength(ushort length)
    {
        // 4-45-ofp_meter_mod: first band at 16, len at 18.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-45-ofp_meter_mod.packet"), 18, length);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(0xff00)]
    public void Decode_QueueGetConfigReplyQueueLengthInvalid_ThrowsBadElementLength(ushort length)
    {
        // 4-36-ofp_queue_get_config_reply: first queue at 16, len at 24.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-36-ofp_queue_get_config_reply.packet"), 24, length);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(0xfff0)]
    public void Decode_FlowStatsEntryLengthInvalid_ThrowsBadMultipartBody(ushort length)
    {
        // 4-12-ofp_flow_stats_reply: first ofp_flow_stats at 16, length at 16.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-12-ofp_flow_stats_reply.packet"), 16, length);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_MeterStatsEntryLengthOverrunsBody_ThrowsBadMultipartBody()
    {
        // 4-50-ofp_meter_stats_reply: first ofp_meter_stats at 16, len at 20.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-50-ofp_meter_stats_reply.packet"), 20, 0xfff0);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_PortStatsBodyNotWholeEntries_ThrowsBadMultipartBody()
    {
        // 4-30-ofp_port_stats_reply holds two 112-byte entries; cut the second short.
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-30-ofp_port_stats_reply.packet")[..200]);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_MultipartHeaderCut_ThrowsBadLength()
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector("4-30-ofp_port_stats_reply.packet")[..12]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_UnknownMultipartType_ThrowsBadValue()
    {
        // ofp_multipart_reply.type at 8.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-30-ofp_port_stats_reply.packet"), 8, 99);

        Assert.Equal(ProtocolErrorReason.BadValue, Corruption.RejectReason(frame));
    }
}
