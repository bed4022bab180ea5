// OFPMP_TABLE (spec 1.3.5, 7.3.5.4): empty request; reply is a list of struct ofp_table_stats =
// table_id u8, pad[3], active_count u32, lookup_count u64, matched_count u64 = 24 bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record TableStatsRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.Table;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static TableStatsRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.Table);
        return new TableStatsRequest();
    }
}

public sealed record TableStats(byte TableId, uint ActiveCount, ulong LookupCount, ulong MatchedCount) : IMultipartEntry<TableStats>
{
    public const int Size = 24;

    public int Length => Size;

    public void Write(ref WireWriter writer)
    {
        writer.U8(TableId);
        writer.Pad(3);
        writer.U32(ActiveCount);
        writer.U64(LookupCount);
        writer.U64(MatchedCount);
    }

    public static TableStats Read(ref WireReader body)
    {
        byte tableId = body.U8();
        body.Pad(3);
        return new TableStats(tableId, body.U32(), body.U64(), body.U64());
    }
}

public sealed record TableStatsReply(IReadOnlyList<TableStats> Entries) : MultipartListReply<TableStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.Table;

    private protected override int EntryLength(TableStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, TableStats entry) => entry.Write(ref writer);

    internal static TableStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<TableStats>(ref payload));
}
