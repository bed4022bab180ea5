// enum ofp_multipart_type and the OFPMPF_* flags of requests and replies (spec 1.3.5, 7.3.5).
namespace Patchbay.OpenFlow.Multipart;

/// <summary>enum ofp_multipart_type.</summary>
public enum MultipartType : ushort
{
    Desc = 0,
    Flow = 1,
    Aggregate = 2,
    Table = 3,
    PortStats = 4,
    Queue = 5,
    Group = 6,
    GroupDesc = 7,
    GroupFeatures = 8,
    Meter = 9,
    MeterConfig = 10,
    MeterFeatures = 11,
    TableFeatures = 12,
    PortDesc = 13,
    Experimenter = 0xffff,
}

/// <summary>enum ofp_multipart_request_flags.</summary>
[Flags]
public enum MultipartRequestFlags : ushort
{
    None = 0,

    /// <summary>OFPMPF_REQ_MORE: more requests follow with the same xid.</summary>
    More = 1,
}

/// <summary>enum ofp_multipart_reply_flags.</summary>
[Flags]
public enum MultipartReplyFlags : ushort
{
    None = 0,

    /// <summary>OFPMPF_REPLY_MORE: more replies follow with the same xid.</summary>
    More = 1,
}
