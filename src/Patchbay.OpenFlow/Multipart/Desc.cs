// OFPMP_DESC (spec 1.3.5, 7.3.5.1): empty request; reply is struct ofp_desc: mfr_desc[256],
// hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256], NUL-padded ASCII = 1056 bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record DescRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.Desc;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static DescRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.Desc);
        return new DescRequest();
    }
}

public sealed record DescReply(string MfrDesc, string HwDesc, string SwDesc, string SerialNum, string DpDesc) : MultipartReply
{
    /// <summary>sizeof(struct ofp_desc).</summary>
    public const int Size = 1056;

    /// <summary>DESC_STR_LEN.</summary>
    public const int DescStringLength = 256;

    /// <summary>SERIAL_NUM_LEN.</summary>
    public const int SerialNumLength = 32;

    public override MultipartType MultipartType => MultipartType.Desc;

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.FixedString(MfrDesc, DescStringLength);
        writer.FixedString(HwDesc, DescStringLength);
        writer.FixedString(SwDesc, DescStringLength);
        writer.FixedString(SerialNum, SerialNumLength);
        writer.FixedString(DpDesc, DescStringLength);
    }

    internal static DescReply ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_desc");
        return new DescReply(
            payload.FixedString(DescStringLength),
            payload.FixedString(DescStringLength),
            payload.FixedString(DescStringLength),
            payload.FixedString(SerialNumLength),
            payload.FixedString(DescStringLength));
    }
}
