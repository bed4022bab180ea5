// OFPMP_GROUP (spec 1.3.5, 7.3.5.9). Request: group_id u32 (OFPG_ALL for all), pad[4]. Reply: a list
// of struct ofp_group_stats = length u16, pad[2], group_id u32, ref_count u32, pad[4], packet_count u64,
// byte_count u64, duration_sec u32, duration_nsec u32 (40 bytes), then one ofp_bucket_counter
// (packet_count u64, byte_count u64 = 16 bytes) per bucket.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record GroupStatsRequest(uint GroupId) : MultipartRequest
{
    public const int Size = 8;

    /// <summary>Asks for every group (OFPG_ALL).</summary>
    public GroupStatsRequest()
        : this(OfpGroupId.All)
    {
    }

    public override MultipartType MultipartType => MultipartType.Group;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(GroupId);
        writer.Pad(4);
    }

    internal static GroupStatsRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_group_stats_request");
        var request = new GroupStatsRequest(payload.U32());
        payload.Pad(4);
        return request;
    }
}

/// <summary>struct ofp_bucket_counter.</summary>
public readonly record struct BucketCounter(ulong PacketCount, ulong ByteCount)
{
    public const int Size = 16;
}

public sealed record GroupStats : IMultipartEntry<GroupStats>
{
    /// <summary>The fixed part, without bucket counters.</summary>
    public const int Size = 40;

    public uint GroupId { get; init; }

    /// <summary>How many flows or groups forward to this group.</summary>
    public uint RefCount { get; init; }

    public ulong PacketCount { get; init; }

    public ulong ByteCount { get; init; }

    public uint DurationSec { get; init; }

    public uint DurationNsec { get; init; }

    public IReadOnlyList<BucketCounter> BucketStats { get; init; } = [];

    /// <summary>ofp_group_stats.length.</summary>
    public int Length => Size + (BucketStats.Count * BucketCounter.Size);

    public void Write(ref WireWriter writer)
    {
        writer.U16((ushort)Length);
        writer.Pad(2);
        writer.U32(GroupId);
        writer.U32(RefCount);
        writer.Pad(4);
        writer.U64(PacketCount);
        writer.U64(ByteCount);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
        foreach (BucketCounter counter in BucketStats)
        {
            writer.U64(counter.PacketCount);
            writer.U64(counter.ByteCount);
        }
    }

    public static GroupStats Read(ref WireReader body)
    {
        ushort length = body.U16();
        WireReader entry = MultipartBody.Entry(ref body, length, Size, 2, "ofp_group_stats");
        if ((length - Size) % BucketCounter.Size != 0)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"ofp_group_stats length {length} is not {Size} plus whole {BucketCounter.Size}-byte bucket counters");
        }

        entry.Pad(2);
        uint groupId = entry.U32();
        uint refCount = entry.U32();
        entry.Pad(4);
        ulong packetCount = entry.U64();
        ulong byteCount = entry.U64();
        uint durationSec = entry.U32();
        uint durationNsec = entry.U32();
        var counters = new BucketCounter[entry.Remaining / BucketCounter.Size];
        for (int i = 0; i < counters.Length; i++)
        {
            counters[i] = new BucketCounter(entry.U64(), entry.U64());
        }

        return new GroupStats
        {
            GroupId = groupId,
            RefCount = refCount,
            PacketCount = packetCount,
            ByteCount = byteCount,
            DurationSec = durationSec,
            DurationNsec = durationNsec,
            BucketStats = counters,
        };
    }

    // Records compare lists by reference; a decoded entry must equal the one that was encoded.
    public bool Equals(GroupStats? other) =>
        other is not null
        && GroupId == other.GroupId
        && RefCount == other.RefCount
        && PacketCount == other.PacketCount
        && ByteCount == other.ByteCount
        && DurationSec == other.DurationSec
        && DurationNsec == other.DurationNsec
        && BucketStats.SequenceEqual(other.BucketStats);

    public override int GetHashCode() => HashCode.Combine(GroupId, PacketCount, ByteCount, BucketStats.Count);
}

public sealed record GroupStatsReply(IReadOnlyList<GroupStats> Entries) : MultipartListReply<GroupStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.Group;

    private protected override int EntryLength(GroupStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, GroupStats entry) => entry.Write(ref writer);

    internal static GroupStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<GroupStats>(ref payload));
}
