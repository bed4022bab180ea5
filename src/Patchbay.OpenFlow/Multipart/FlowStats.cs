// OFPMP_FLOW (spec 1.3.5, 7.3.5.2). Request: struct ofp_flow_stats_request = table_id u8, pad[3],
// out_port u32, out_group u32, pad[4], cookie u64, cookie_mask u64, ofp_match (40 bytes with an empty
// match). Reply: a list of struct ofp_flow_stats = length u16, table_id u8, pad, duration_sec u32,
// duration_nsec u32, priority u16, idle_timeout u16, hard_timeout u16, flags u16, pad[4], cookie u64,
// packet_count u64, byte_count u64, ofp_match (56 bytes with an empty match), then instructions.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

/// <summary>The flow filter FLOW and AGGREGATE requests share; the defaults select every flow.</summary>
public abstract record FlowMatchRequest : MultipartRequest
{
    /// <summary>sizeof(struct ofp_flow_stats_request): the fixed fields plus an empty match.</summary>
    public const int Size = FixedSize + 8;

    /// <summary>The fields before the match.</summary>
    public const int FixedSize = 32;

    /// <summary>OFPTT_ALL asks for every table.</summary>
    public byte TableId { get; init; } = OfpTableId.All;

    /// <summary>Only flows with an output to this port; OFPP_ANY for no restriction.</summary>
    public uint OutPort { get; init; } = OfpPortNo.Any;

    /// <summary>Only flows with an output to this group; OFPG_ANY for no restriction.</summary>
    public uint OutGroup { get; init; } = OfpGroupId.Any;

    public ulong Cookie { get; init; }

    /// <summary>Which cookie bits must equal <see cref="Cookie"/>; 0 ignores the cookie.</summary>
    public ulong CookieMask { get; init; }

    public OfpMatch Match { get; init; } = OfpMatch.Empty;

    public sealed override int PayloadLength => FixedSize + Match.PaddedLength;

    protected sealed override void WritePayload(ref WireWriter writer)
    {
        writer.U8(TableId);
        writer.Pad(3);
        writer.U32(OutPort);
        writer.U32(OutGroup);
        writer.Pad(4);
        writer.U64(Cookie);
        writer.U64(CookieMask);
        Match.Write(ref writer);
    }

    private protected static T ReadFilter<T>(ref WireReader payload, T request)
        where T : FlowMatchRequest
    {
        if (payload.Remaining < Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"{request.MultipartType} request body of {payload.Remaining} bytes is shorter than {Size}");
        }

        byte tableId = payload.U8();
        payload.Pad(3);
        uint outPort = payload.U32();
        uint outGroup = payload.U32();
        payload.Pad(4);
        ulong cookie = payload.U64();
        ulong cookieMask = payload.U64();
        OfpMatch match = OfpMatch.Read(ref payload);
        MultipartBody.ExpectEnd(ref payload, "flow stats request");
        return request with { TableId = tableId, OutPort = outPort, OutGroup = outGroup, Cookie = cookie, CookieMask = cookieMask, Match = match };
    }
}

public sealed record FlowStatsRequest : FlowMatchRequest
{
    public override MultipartType MultipartType => MultipartType.Flow;

    internal static FlowStatsRequest ReadPayload(ref WireReader payload) => ReadFilter(ref payload, new FlowStatsRequest());
}

/// <summary>struct ofp_flow_stats: one flow as the switch reports it.</summary>
public sealed record FlowStats : IMultipartEntry<FlowStats>
{
    /// <summary>The fixed fields plus an empty match.</summary>
    public const int Size = FixedSize + 8;

    /// <summary>The fields before the match.</summary>
    public const int FixedSize = 48;

    public byte TableId { get; init; }

    public uint DurationSec { get; init; }

    public uint DurationNsec { get; init; }

    public ushort Priority { get; init; }

    public ushort IdleTimeout { get; init; }

    public ushort HardTimeout { get; init; }

    /// <summary>The flags the flow was added with.</summary>
    public FlowModFlags Flags { get; init; }

    public ulong Cookie { get; init; }

    public ulong PacketCount { get; init; }

    public ulong ByteCount { get; init; }

    public OfpMatch Match { get; init; } = OfpMatch.Empty;

    public IReadOnlyList<OfpInstruction> Instructions { get; init; } = [];

    /// <summary>ofp_flow_stats.length.</summary>
    public int Length => FixedSize + Match.PaddedLength + InstructionList.Length(Instructions);

    public void Write(ref WireWriter writer)
    {
        writer.U16((ushort)Length);
        writer.U8(TableId);
        writer.Pad(1);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
        writer.U16(Priority);
        writer.U16(IdleTimeout);
        writer.U16(HardTimeout);
        writer.U16((ushort)Flags);
        writer.Pad(4);
        writer.U64(Cookie);
        writer.U64(PacketCount);
        writer.U64(ByteCount);
        Match.Write(ref writer);
        InstructionList.Write(ref writer, Instructions);
    }

    public static FlowStats Read(ref WireReader body)
    {
        ushort length = body.U16();
        WireReader entry = MultipartBody.Entry(ref body, length, Size, 2, "ofp_flow_stats");
        byte tableId = entry.U8();
        entry.Pad(1);
        uint durationSec = entry.U32();
        uint durationNsec = entry.U32();
        ushort priority = entry.U16();
        ushort idleTimeout = entry.U16();
        ushort hardTimeout = entry.U16();
        var flags = (FlowModFlags)entry.U16();
        entry.Pad(4);
        ulong cookie = entry.U64();
        ulong packetCount = entry.U64();
        ulong byteCount = entry.U64();
        OfpMatch match = OfpMatch.Read(ref entry);
        return new FlowStats
        {
            TableId = tableId,
            DurationSec = durationSec,
            DurationNsec = durationNsec,
            Priority = priority,
            IdleTimeout = idleTimeout,
            HardTimeout = hardTimeout,
            Flags = flags,
            Cookie = cookie,
            PacketCount = packetCount,
            ByteCount = byteCount,
            Match = match,
            Instructions = InstructionList.Read(ref entry, entry.Remaining),
        };
    }

    // Records compare lists by reference; a decoded entry must equal the one that was encoded.
    public bool Equals(FlowStats? other) =>
        other is not null
        && TableId == other.TableId
        && DurationSec == other.DurationSec
        && DurationNsec == other.DurationNsec
        && Priority == other.Priority
        && IdleTimeout == other.IdleTimeout
        && HardTimeout == other.HardTimeout
        && Flags == other.Flags
        && Cookie == other.Cookie
        && PacketCount == other.PacketCount
        && ByteCount == other.ByteCount
        && Match.Equals(other.Match)
        && InstructionList.SequenceEqual(Instructions, other.Instructions);

    public override int GetHashCode() =>
        HashCode.Combine(TableId, Priority, Cookie, PacketCount, ByteCount, Match, InstructionList.SequenceHash(Instructions));
}

public sealed record FlowStatsReply(IReadOnlyList<FlowStats> Entries) : MultipartListReply<FlowStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.Flow;

    private protected override int EntryLength(FlowStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, FlowStats entry) => entry.Write(ref writer);

    internal static FlowStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<FlowStats>(ref payload));
}
