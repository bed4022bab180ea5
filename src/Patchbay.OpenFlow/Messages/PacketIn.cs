// OFPT_PACKET_IN (spec 1.3.5, 7.4.1): buffer_id u32, total_len u16, reason u8, table_id u8, cookie u64,
// ofp_match (padded to 8), pad[2], then the packet's bytes. For the per-packet path see PacketInView,
// which reads the same layout without allocating.
using System.Text;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_packet_in_reason.</summary>
public enum PacketInReason : byte
{
    NoMatch = 0,
    Action = 1,
    InvalidTtl = 2,
}

public sealed record PacketIn(
    uint BufferId,
    ushort TotalLen,
    PacketInReason Reason,
    byte TableId,
    ulong Cookie,
    OfpMatch Match,
    ReadOnlyMemory<byte> Data) : OfpMessage
{
    /// <summary>os-ken's OFP_PACKET_IN_SIZE: the header part up to an empty match; pad[2] and data follow.</summary>
    public const int Size = 32;

    /// <summary>The fields between ofp_header and the match.</summary>
    internal const int FieldsSize = 16;

    internal const int PadAfterMatch = 2;

    public override OfpType Type => OfpType.PacketIn;

    /// <summary>The OXM in_port every switch puts in a packet-in's match, or null if this one has none.</summary>
    public uint? InPort => Match.Find(OxmBasicField.InPort)?.ValueAsUInt32();

    protected override int BodyLength => FieldsSize + Match.PaddedLength + PadAfterMatch + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(BufferId);
        writer.U16(TotalLen);
        writer.U8((byte)Reason);
        writer.U8(TableId);
        writer.U64(Cookie);
        Match.Write(ref writer);
        writer.Pad(PadAfterMatch);
        writer.Bytes(Data.Span);
    }

    internal static PacketIn ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size + PadAfterMatch);
        uint bufferId = body.U32();
        ushort totalLen = body.U16();
        var reason = (PacketInReason)body.U8();
        byte tableId = body.U8();
        ulong cookie = body.U64();
        OfpMatch match = OfpMatch.Read(ref body);
        body.Pad(PadAfterMatch);
        return new PacketIn(bufferId, totalLen, reason, tableId, cookie, match, body.RestArray()) { Xid = header.Xid };
    }

    public bool Equals(PacketIn? other) =>
        other is not null
        && base.Equals(other)
        && BufferId == other.BufferId
        && TotalLen == other.TotalLen
        && Reason == other.Reason
        && TableId == other.TableId
        && Cookie == other.Cookie
        && Match.Equals(other.Match)
        && ValueEquality.Bytes(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(BufferId, Cookie, Match, ValueEquality.BytesHash(Data));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", BufferId = {BufferId}, TotalLen = {TotalLen}, Reason = {Reason}, TableId = {TableId}, Cookie = 0x{Cookie:x}, Match = {Match}, ");
        RecordText.Bytes(builder, nameof(Data), Data);
        return true;
    }
}
