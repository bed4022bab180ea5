// OFPMP_AGGREGATE (spec 1.3.5, 7.3.5.3). Request: the same body as a flow stats request. Reply:
// struct ofp_aggregate_stats_reply = packet_count u64, byte_count u64, flow_count u32, pad[4] = 24 bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record AggregateStatsRequest : FlowMatchRequest
{
    public override MultipartType MultipartType => MultipartType.Aggregate;

    internal static AggregateStatsRequest ReadPayload(ref WireReader payload) => ReadFilter(ref payload, new AggregateStatsRequest());
}

public sealed record AggregateStatsReply(ulong PacketCount, ulong ByteCount, uint FlowCount) : MultipartReply
{
    public const int Size = 24;

    public override MultipartType MultipartType => MultipartType.Aggregate;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U64(PacketCount);
        writer.U64(ByteCount);
        writer.U32(FlowCount);
        writer.Pad(4);
    }

    internal static AggregateStatsReply ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_aggregate_stats_reply");
        var reply = new AggregateStatsReply(payload.U64(), payload.U64(), payload.U32());
        payload.Pad(4);
        return reply;
    }
}
