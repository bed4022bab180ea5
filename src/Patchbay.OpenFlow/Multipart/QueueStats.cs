// OFPMP_QUEUE (spec 1.3.5, 7.3.5.8). Request: port_no u32 (OFPP_ANY for all), queue_id u32 (OFPQ_ALL
// for all). Reply: a list of struct ofp_queue_stats = port_no u32, queue_id u32, tx_bytes u64,
// tx_packets u64, tx_errors u64, duration_sec u32, duration_nsec u32 = 40 bytes.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record QueueStatsRequest(uint PortNo, uint QueueId) : MultipartRequest
{
    public const int Size = 8;

    /// <summary>OFPQ_ALL: every queue of the port.</summary>
    public const uint AllQueues = 0xffffffff;

    /// <summary>Asks for every queue on every port.</summary>
    public QueueStatsRequest()
        : this(OfpPortNo.Any, AllQueues)
    {
    }

    public override MultipartType MultipartType => MultipartType.Queue;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(PortNo);
        writer.U32(QueueId);
    }

    internal static QueueStatsRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_queue_stats_request");
        return new QueueStatsRequest(payload.U32(), payload.U32());
    }
}

public sealed record QueueStats(
    uint PortNo,
    uint QueueId,
    ulong TxBytes,
    ulong TxPackets,
    ulong TxErrors,
    uint DurationSec,
    uint DurationNsec) : IMultipartEntry<QueueStats>
{
    public const int Size = 40;

    public int Length => Size;

    public void Write(ref WireWriter writer)
    {
        writer.U32(PortNo);
        writer.U32(QueueId);
        writer.U64(TxBytes);
        writer.U64(TxPackets);
        writer.U64(TxErrors);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
    }

    public static QueueStats Read(ref WireReader body) =>
        new(body.U32(), body.U32(), body.U64(), body.U64(), body.U64(), body.U32(), body.U32());
}

public sealed record QueueStatsReply(IReadOnlyList<QueueStats> Entries) : MultipartListReply<QueueStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.Queue;

    private protected override int EntryLength(QueueStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, QueueStats entry) => entry.Write(ref writer);

    internal static QueueStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<QueueStats>(ref payload));
}
