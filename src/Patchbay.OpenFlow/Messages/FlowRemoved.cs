// OFPT_FLOW_REMOVED (spec 1.3.5, 7.4.2): cookie u64, priority u16, reason u8, table_id u8, duration_sec u32,
// duration_nsec u32, idle_timeout u16, hard_timeout u16, packet_count u64, byte_count u64, then ofp_match.
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_flow_removed_reason.</summary>
public enum FlowRemovedReason : byte
{
    IdleTimeout = 0,
    HardTimeout = 1,
    Delete = 2,
    GroupDelete = 3,
}

public sealed record FlowRemoved : OfpMessage
{
    /// <summary>The message with an empty match (os-ken's OFP_FLOW_REMOVED_SIZE).</summary>
    public const int Size = 56;

    private const int FieldsSize = 40;

    public override OfpType Type => OfpType.FlowRemoved;

    public ulong Cookie { get; init; }

    public ushort Priority { get; init; }

    public FlowRemovedReason Reason { get; init; }

    public byte TableId { get; init; }

    public uint DurationSec { get; init; }

    public uint DurationNsec { get; init; }

    public ushort IdleTimeout { get; init; }

    public ushort HardTimeout { get; init; }

    public ulong PacketCount { get; init; }

    public ulong ByteCount { get; init; }

    public OfpMatch Match { get; init; } = OfpMatch.Empty;

    protected override int BodyLength => FieldsSize + Match.PaddedLength;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U64(Cookie);
        writer.U16(Priority);
        writer.U8((byte)Reason);
        writer.U8(TableId);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
        writer.U16(IdleTimeout);
        writer.U16(HardTimeout);
        writer.U64(PacketCount);
        writer.U64(ByteCount);
        Match.Write(ref writer);
    }

    internal static FlowRemoved ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        var removed = new FlowRemoved
        {
            Xid = header.Xid,
            Cookie = body.U64(),
            Priority = body.U16(),
            Reason = (FlowRemovedReason)body.U8(),
            TableId = body.U8(),
            DurationSec = body.U32(),
            DurationNsec = body.U32(),
            IdleTimeout = body.U16(),
            HardTimeout = body.U16(),
            PacketCount = body.U64(),
            ByteCount = body.U64(),
            Match = OfpMatch.Read(ref body),
        };
        body.ExpectEnd(ProtocolErrorReason.BadLength, "flow removed");
        return removed;
    }
}
