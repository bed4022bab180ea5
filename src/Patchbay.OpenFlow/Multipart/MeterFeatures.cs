// OFPMP_METER_FEATURES (spec 1.3.5, 7.3.5.14): empty request; reply is struct ofp_meter_features =
// max_meter u32, band_types u32 (bitmap of OFPMBT_*), capabilities u32 (bitmap of OFPMF_*),
// max_bands u8, max_color u8, pad[2] = 16 bytes.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record MeterFeaturesRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.MeterFeatures;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static MeterFeaturesRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.MeterFeatures);
        return new MeterFeaturesRequest();
    }
}

public sealed record MeterFeaturesReply(uint MaxMeter, uint BandTypes, MeterFlags Capabilities, byte MaxBands, byte MaxColor) : MultipartReply
{
    public const int Size = 16;

    public override MultipartType MultipartType => MultipartType.MeterFeatures;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(MaxMeter);
        writer.U32(BandTypes);
        writer.U32((uint)Capabilities);
        writer.U8(MaxBands);
        writer.U8(MaxColor);
        writer.Pad(2);
    }

    internal static MeterFeaturesReply ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_meter_features");
        var reply = new MeterFeaturesReply(payload.U32(), payload.U32(), (MeterFlags)payload.U32(), payload.U8(), payload.U8());
        payload.Pad(2);
        return reply;
    }
}
