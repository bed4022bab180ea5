// OFPMP_METER (spec 1.3.5, 7.3.5.12). Request: struct ofp_meter_multipart_request = meter_id u32
// (OFPM_ALL for all), pad[4]. Reply: a list of struct ofp_meter_stats = meter_id u32, len u16, pad[6],
// flow_count u32, packet_in_count u64, byte_in_count u64, duration_sec u32, duration_nsec u32 (40 bytes),
// then one ofp_meter_band_stats (packet_band_count u64, byte_band_count u64 = 16 bytes) per band.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record MeterStatsRequest(uint MeterId) : MultipartRequest
{
    /// <summary>sizeof(struct ofp_meter_multipart_request).</summary>
    public const int Size = 8;

    /// <summary>Asks for every meter (OFPM_ALL).</summary>
    public MeterStatsRequest()
        : this(OfpMeterId.All)
    {
    }

    public override MultipartType MultipartType => MultipartType.Meter;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(MeterId);
        writer.Pad(4);
    }

    internal static MeterStatsRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_meter_multipart_request");
        var request = new MeterStatsRequest(payload.U32());
        payload.Pad(4);
        return request;
    }
}

/// <summary>struct ofp_meter_band_stats.</summary>
public readonly record struct MeterBandStats(ulong PacketBandCount, ulong ByteBandCount)
{
    public const int Size = 16;
}

public sealed record MeterStats : IMultipartEntry<MeterStats>
{
    /// <summary>The fixed part, without band stats.</summary>
    public const int Size = 40;

    public uint MeterId { get; init; }

    /// <summary>How many flows use this meter.</summary>
    public uint FlowCount { get; init; }

    public ulong PacketInCount { get; init; }

    public ulong ByteInCount { get; init; }

    public uint DurationSec { get; init; }

    public uint DurationNsec { get; init; }

    public IReadOnlyList<MeterBandStats> BandStats { get; init; } = [];

    /// <summary>ofp_meter_stats.len.</summary>
    public int Length => Size + (BandStats.Count * MeterBandStats.Size);

    public void Write(ref WireWriter writer)
    {
        writer.U32(MeterId);
        writer.U16((ushort)Length);
        writer.Pad(6);
        writer.U32(FlowCount);
        writer.U64(PacketInCount);
        writer.U64(ByteInCount);
        writer.U32(DurationSec);
        writer.U32(DurationNsec);
        foreach (MeterBandStats band in BandStats)
        {
            writer.U64(band.PacketBandCount);
            writer.U64(band.ByteBandCount);
        }
    }

    public static MeterStats Read(ref WireReader body)
    {
        uint meterId = body.U32();
        ushort length = body.U16();
        WireReader entry = MultipartBody.Entry(ref body, length, Size, 6, "ofp_meter_stats");
        if ((length - Size) % MeterBandStats.Size != 0)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"ofp_meter_stats len {length} is not {Size} plus whole {MeterBandStats.Size}-byte band stats");
        }

        entry.Pad(6);
        uint flowCount = entry.U32();
        ulong packetIn = entry.U64();
        ulong byteIn = entry.U64();
        uint durationSec = entry.U32();
        uint durationNsec = entry.U32();
        var bands = new MeterBandStats[entry.Remaining / MeterBandStats.Size];
        for (int i = 0; i < bands.Length; i++)
        {
            bands[i] = new MeterBandStats(entry.U64(), entry.U64());
        }

        return new MeterStats
        {
            MeterId = meterId,
            FlowCount = flowCount,
            PacketInCount = packetIn,
            ByteInCount = byteIn,
            DurationSec = durationSec,
            DurationNsec = durationNsec,
            BandStats = bands,
        };
    }

    // Records compare lists by reference; a decoded entry must equal the one that was encoded.
    public bool Equals(MeterStats? other) =>
        other is not null
        && MeterId == other.MeterId
        && FlowCount == other.FlowCount
        && PacketInCount == other.PacketInCount
        && ByteInCount == other.ByteInCount
        && DurationSec == other.DurationSec
        && DurationNsec == other.DurationNsec
        && BandStats.SequenceEqual(other.BandStats);

    public override int GetHashCode() => HashCode.Combine(MeterId, PacketInCount, ByteInCount, BandStats.Count);
}

public sealed record MeterStatsReply(IReadOnlyList<MeterStats> Entries) : MultipartListReply<MeterStats>(Entries)
{
    public override MultipartType MultipartType => MultipartType.Meter;

    private protected override int EntryLength(MeterStats entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, MeterStats entry) => entry.Write(ref writer);

    internal static MeterStatsReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<MeterStats>(ref payload));
}
