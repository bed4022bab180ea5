// OFPMP_PORT_STATS (spec 1.3.5, 7.3.5.6). Request: port_no u32 (OFPP_ANY for all), pad[4].
// Reply: a list of struct ofp_port_stats = port_no u32, pad[4], rx/tx packets, rx/tx bytes,
// rx/tx dropped, rx/tx errors, rx_frame_err, rx_over_err, rx_crc_err, collisions (u64 each),
// duration_sec u32, duration_nsec u32 = 112 bytes.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record PortStatsRequest(uint PortNo) : MultipartRequest
{
    public const int Size = 8;

    /// <summary>Asks for every port (OFPP_ANY).</summary>
    public PortStatsRequest()
        : this(OfpPortNo.Any)
    {
    }

    public override MultipartType MultipartType => MultipartType.PortStats;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(PortNo);
        writer.Pad(4);
    }

    internal static PortStatsRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_port_stats_request");
        var request = new PortStatsRequest(payload.U32());
        payload.Pad(4);
        return request;
    }
}

public sealed record PortStats : IMultipartEntry<PortStats>
{
    public const int Size = 112;

    public uint PortNo { get; init; }

    public ulong RxPackets { get; init; }

    public ulong TxPackets { get; init; }

    public ulong RxBytes { get; init; }

    public ulong TxBytes { get; init; }

    public ulong RxDropped { get; init; }

    public ulong TxDropped { get; init; }

    public ulong RxErrors { get; init; }

    public ulong TxErrors { get; init; }

    public ulong RxFrameErr { get; init; }

    public ulong RxOverErr { get; init; }

    public ulong RxCrcErr { get; init; }

    public ulong Collisions { get; init; }

    public uint DurationSec { get; init; }

    public uint DurationNsec { get; init; }

    public int Length => Size;

    public void Write(ref WireWriter writer)
    {
        writer.U32(PortNo);
        writer.Pad(4);
        writer.U64(RxPackets);
        writer.U64(TxPackets);
        writer.U64(RxBytes);
        writer.U64(TxBytes);
        writer.U64(RxDropped);
        writer.U64(TxDropped);
        writer.U64(RxErrors);
        writer.U64(TxErrors);
        writer.U64(RxFrameErr);
        writer.U64(RxOverErr);
        writer.U64(RxCrcErr);
        writer.U64(Collisions);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
    }

    public static PortStats Read(ref WireReader body)
    {
        uint portNo = body.U32();
        body.Pad(4);
        return new PortStats
        {
            PortNo = portNo,
            RxPackets = body.U64(),
            TxPackets = body.U64(),
            RxBytes = body.U64(),
            TxBytes = body.U64(),
            RxDropped = body.U64(),
            TxDropped = body.U64(),
            RxErrors = body.U64(),
            TxErrors = body.U64(),
            RxFrameErr = body.U64(),
            RxOverErr = body.U64(),
            RxCrcErr = body.U64(),
            Collisions = body.U64(),
            DurationSec = body.U32(),
            DurationNsec = body.U32(),
        };
    }
}

public sealed record PortStatsReply(IReadOnlyList<PortStats> Entries) : MultipartListReply<PortStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.PortStats;

    private protected override int EntryLength(PortStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, PortStats entry) => entry.Write(ref writer);

    internal static PortStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<PortStats>(ref payload));
}
