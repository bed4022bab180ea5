// OFPMP_METER_CONFIG (spec 1.3.5, 7.3.5.13). Request: struct ofp_meter_multipart_request = meter_id u32
// (OFPM_ALL for all), pad[4]. Reply: a list of struct ofp_meter_config = length u16, flags u16
// (OFPMF_*), meter_id u32 (8 bytes), then the meter's bands.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record MeterConfigRequest(uint MeterId) : MultipartRequest
{
    /// <summary>sizeof(struct ofp_meter_multipart_request).</summary>
    public const int Size = 8;

    /// <summary>Asks for every meter (OFPM_ALL).</summary>
    public MeterConfigRequest()
        : this(OfpMeterId.All)
    {
    }

    public override MultipartType MultipartType => MultipartType.MeterConfig;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(MeterId);
        writer.Pad(4);
    }

    internal static MeterConfigRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_meter_multipart_request");
        var request = new MeterConfigRequest(payload.U32());
        payload.Pad(4);
        return request;
    }
}

/// <summary>struct ofp_meter_config.</summary>
public sealed record MeterConfig(MeterFlags Flags, uint MeterId, IReadOnlyList<MeterBand> Bands) : IMultipartEntry<MeterConfig>
{
    /// <summary>The fixed part, without bands.</summary>
    public const int Size = 8;

    /// <summary>ofp_meter_config.length.</summary>
    public int Length => Size + MeterBandList.Length(Bands);

    public void Write(ref WireWriter writer)
    {
        writer.U16((ushort)Length);
        writer.U16((ushort)Flags);
        writer.U32(MeterId);
        MeterBandList.Write(ref writer, Bands);
    }

    public static MeterConfig Read(ref WireReader body)
    {
        ushort length = body.U16();
        WireReader entry = MultipartBody.Entry(ref body, length, Size, 2, "ofp_meter_config");
        var flags = (MeterFlags)entry.U16();
        uint meterId = entry.U32();
        return new MeterConfig(flags, meterId, MeterBandList.Read(ref entry, entry.Remaining));
    }

    // Records compare lists by reference; a decoded entry must equal the one that was encoded.
    public bool Equals(MeterConfig? other) =>
        other is not null && Flags == other.Flags && MeterId == other.MeterId && Bands.SequenceEqual(other.Bands);

    public override int GetHashCode() => HashCode.Combine(Flags, MeterId, Bands.Count);
}

public sealed record MeterConfigReply(IReadOnlyList<MeterConfig> Entries) : MultipartListReply<MeterConfig>(Entries)
{
    public override MultipartType MultipartType => MultipartType.MeterConfig;

    private protected override int EntryLength(MeterConfig entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, MeterConfig entry) => entry.Write(ref writer);

    internal static MeterConfigReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<MeterConfig>(ref payload));
}
