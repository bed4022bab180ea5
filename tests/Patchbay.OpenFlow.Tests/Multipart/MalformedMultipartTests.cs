// Multipart messages broken in one length or type field: each is rejected with the reason that names
// the broken rule, the same way through Decode and TryRead over one or many segments.
using System.Buffers.Binary;
using FsCheck.Xunit;
using Patchbay.OpenFlow.Multipart;
using Patchbay.OpenFlow.Tests.Malformed;

namespace Patchbay.OpenFlow.Tests.Multipart;

public class MalformedMultipartTests
{
    [Theory]
    [InlineData("4-24-ofp_desc_request.packet")]
    [InlineData("4-0-ofp_desc_reply.packet")]
    public void Decode_ShorterThanMultipartHeader_ThrowsBadLength(string vector)
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector(vector)[..12]);

        Assert.Equal(ProtocolErrorReason.BadLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-24-ofp_desc_request.packet", 14)]
    [InlineData("4-0-ofp_desc_reply.packet", 14)]
    [InlineData("4-0-ofp_desc_reply.packet", 0xfffe)]
    public void Decode_UnknownMultipartType_ThrowsBadValue(string vector, ushort type)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector(vector), 8, type);

        Assert.Equal(ProtocolErrorReason.BadValue, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-24-ofp_desc_request.packet")]
    [InlineData("4-27-ofp_table_stats_request.packet")]
    [InlineData("4-53-ofp_port_desc_request.packet")]
    [InlineData("4-33-ofp_group_desc_request.packet")]
    [InlineData("4-31-ofp_group_features_request.packet")]
    [InlineData("4-51-ofp_meter_features_request.packet")]
    public void Decode_EmptyRequestWithBody_ThrowsBadMultipartBody(string vector)
    {
        byte[] frame = Corruption.Reframed([.. Corruption.Vector(vector), 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-29-ofp_port_stats_request.packet", 4)]
    [InlineData("4-29-ofp_port_stats_request.packet", -4)]
    [InlineData("4-37-ofp_queue_stats_request.packet", 8)]
    [InlineData("4-57-ofp_group_stats_request.packet", -1)]
    [InlineData("4-49-ofp_meter_stats_request.packet", 1)]
    [InlineData("4-47-ofp_meter_config_request.packet", -8)]
    [InlineData("4-11-ofp_flow_stats_request.packet", 8)]
    [InlineData("4-25-ofp_aggregate_stats_request.packet", -20)]
    [InlineData("4-0-ofp_desc_reply.packet", -56)]
    [InlineData("4-0-ofp_desc_reply.packet", 8)]
    [InlineData("4-26-ofp_aggregate_stats_reply.packet", 8)]
    [InlineData("4-32-ofp_group_features_reply.packet", -4)]
    [InlineData("4-52-ofp_meter_features_reply.packet", 4)]
    public void Decode_FixedSizeBodyOfWrongSize_ThrowsBadMultipartBody(string vector, int delta)
    {
        byte[] frame = Resized(Corruption.Vector(vector), delta);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-28-ofp_table_stats_reply.packet", -1)]
    [InlineData("4-28-ofp_table_stats_reply.packet", 8)]
    [InlineData("4-30-ofp_port_stats_reply.packet", -8)]
    [InlineData("4-38-ofp_queue_stats_reply.packet", 16)]
    [InlineData("4-54-ofp_port_desc_reply.packet", 8)]
    [InlineData("4-54-ofp_port_desc_reply.packet", -63)]
    [InlineData("4-12-ofp_flow_stats_reply.packet", 1)]
    [InlineData("4-58-ofp_group_stats_reply.packet", 8)]
    [InlineData("4-50-ofp_meter_stats_reply.packet", 4)]
    public void Decode_EntriesNotTilingBody_ThrowsBadMultipartBody(string vector, int delta)
    {
        byte[] frame = Resized(Corruption.Vector(vector), delta);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(55)]
    [InlineData(600)]
    public void Decode_FlowStatsEntryLengthBelowFixedPartOrOverrunningBody_ThrowsBadMultipartBody(ushort length)
    {
        // The first ofp_flow_stats starts right after the 16-byte multipart header with its length.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-12-ofp_flow_stats_reply.packet"), 16, length);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FlowStatsMatchOverrunningEntry_ThrowsBadMatchLength()
    {
        // First entry: 56 bytes, its ofp_match at 16 + 48 with length at +2.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-12-ofp_flow_stats_reply.packet"), 16 + 48 + 2, 40);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FlowStatsInstructionOverrunningEntry_ThrowsBadInstructionLength()
    {
        // Second entry at 16 + 56: fixed 48, match padded to 16, then the apply-actions instruction (len at +2).
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-12-ofp_flow_stats_reply.packet"), 16 + 56 + 48 + 16 + 2, 64);

        Assert.Equal(ProtocolErrorReason.BadInstructionLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_FlowStatsRequestMatchOverrunningBody_ThrowsBadMatchLength()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-11-ofp_flow_stats_request.packet"), 16 + 32 + 2, 100);

        Assert.Equal(ProtocolErrorReason.BadMatchLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(39)]
    [InlineData(50)]
    [InlineData(200)]
    public void Decode_GroupStatsLengthNotFixedPlusCounters_ThrowsBadMultipartBody(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-58-ofp_group_stats_reply.packet"), 16, length);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(48)]
    public void Decode_GroupDescLengthBelowFixedPartOrOverrunning_ThrowsBadMultipartBody(ushort length)
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-34-ofp_group_desc_reply.packet"), 16, length);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_GroupDescBucketOverrunningEntry_ThrowsBadElementLength()
    {
        // The bucket starts after the 8-byte ofp_group_desc header; its len is its first field.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-34-ofp_group_desc_reply.packet"), 16 + 8, 48);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData(39)]
    [InlineData(60)]
    [InlineData(72)]
    public void Decode_MeterStatsLenNotFixedPlusBandsOrOverrunning_ThrowsBadMultipartBody(ushort length)
    {
        // ofp_meter_stats.len follows the 4-byte meter_id.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-50-ofp_meter_stats_reply.packet"), 16 + 4, length);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_MeterConfigBandLenOverrunningEntry_ThrowsBadElementLength()
    {
        // The band follows the 8-byte ofp_meter_config header; its len sits after its 2-byte type.
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-48-ofp_meter_config_reply.packet"), 16 + 8 + 2, 32);

        Assert.Equal(ProtocolErrorReason.BadElementLength, Corruption.RejectReason(frame));
    }

    [Fact]
    public void Decode_MeterConfigLengthOverrunningBody_ThrowsBadMultipartBody()
    {
        byte[] frame = Corruption.WithU16(Corruption.Vector("4-48-ofp_meter_config_reply.packet"), 16, 32);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Theory]
    [InlineData("4-61-ofp_experimenter_request.packet")]
    [InlineData("4-62-ofp_experimenter_reply.packet")]
    public void Decode_ExperimenterBodyShorterThanItsHeader_ThrowsBadMultipartBody(string vector)
    {
        byte[] frame = Corruption.Reframed(Corruption.Vector(vector)[..(MultipartReply.HeaderSize + 7)]);

        Assert.Equal(ProtocolErrorReason.BadMultipartBody, Corruption.RejectReason(frame));
    }

    [Property]
    public void Decode_ArbitraryBodyOfEveryType_DecodesOrThrowsProtocolException(bool reply, byte typeIndex, byte[] body)
    {
        MultipartType[] types = Enum.GetValues<MultipartType>();
        MultipartType type = types[typeIndex % types.Length];
        byte[] frame = new byte[Math.Min(MultipartReply.HeaderSize + body.Length, OfpConstants.MaxMessageLength)];
        frame[0] = OfpConstants.Version13;
        frame[1] = (byte)(reply ? OfpType.MultipartReply : OfpType.MultipartRequest);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)frame.Length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), (ushort)type);
        body.AsSpan(0, frame.Length - MultipartReply.HeaderSize).CopyTo(frame.AsSpan(MultipartReply.HeaderSize));

        try
        {
            OfpMessage message = OfpMessageReader.Decode(frame);
            Assert.Equal(frame.Length, message.Length);
        }
        catch (OpenFlowProtocolException)
        {
            // Rejecting malformed input with the protocol exception is the other allowed outcome.
        }
    }

    /// <summary>Grows (zero bytes appended) or cuts the frame by <paramref name="delta"/> and fixes ofp_header.length.</summary>
    private static byte[] Resized(byte[] frame, int delta) =>
        Corruption.Reframed(delta >= 0 ? [.. frame, .. new byte[delta]] : frame[..(frame.Length + delta)]);
}
