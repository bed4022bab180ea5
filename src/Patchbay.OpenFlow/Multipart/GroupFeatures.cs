// OFPMP_GROUP_FEATURES (spec 1.3.5, 7.3.5.11): empty request; reply is struct ofp_group_features =
// types u32 (bitmap of OFPGT_*), capabilities u32 (OFPGFC_*), max_groups[4] u32, actions[4] u32
// (bitmaps of OFPAT_*), each array indexed by group type (all, select, indirect, fast failover) = 40 bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

/// <summary>enum ofp_group_capabilities.</summary>
[Flags]
public enum GroupCapabilities : uint
{
    None = 0,
    SelectWeight = 1 << 0,
    SelectLiveness = 1 << 1,
    Chaining = 1 << 2,
    ChainingChecks = 1 << 3,
}

public sealed record GroupFeaturesRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.GroupFeatures;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static GroupFeaturesRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.GroupFeatures);
        return new GroupFeaturesRequest();
    }
}

public sealed record GroupFeaturesReply : MultipartReply
{
    public const int Size = 40;

    public override MultipartType MultipartType => MultipartType.GroupFeatures;

    /// <summary>Bitmap: bit N set when group type N is supported.</summary>
    public uint Types { get; init; }

    public GroupCapabilities Capabilities { get; init; }

    public uint MaxGroupsAll { get; init; }

    public uint MaxGroupsSelect { get; init; }

    public uint MaxGroupsIndirect { get; init; }

    public uint MaxGroupsFastFailover { get; init; }

    /// <summary>Bitmap: bit N set when action type N is supported in ALL groups.</summary>
    public uint ActionsAll { get; init; }

    public uint ActionsSelect { get; init; }

    public uint ActionsIndirect { get; init; }

    public uint ActionsFastFailover { get; init; }

    public override int PayloadLength => Size;

    protected override void WritePayload(ref WireWriter writer)
    {
        writer.U32(Types);
        writer.U32((uint)Capabilities);
        writer.U32(MaxGroupsAll);
        writer.U32(MaxGroupsSelect);
        writer.U32(MaxGroupsIndirect);
        writer.U32(MaxGroupsFastFailover);
        writer.U32(ActionsAll);
        writer.U32(ActionsSelect);
        writer.U32(ActionsIndirect);
        writer.U32(ActionsFastFailover);
    }

    internal static GroupFeaturesReply ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectExactly(ref payload, Size, "ofp_group_features");
        return new GroupFeaturesReply
        {
            Types = payload.U32(),
            Capabilities = (GroupCapabilities)payload.U32(),
            MaxGroupsAll = payload.U32(),
            MaxGroupsSelect = payload.U32(),
            MaxGroupsIndirect = payload.U32(),
            MaxGroupsFastFailover = payload.U32(),
            ActionsAll = payload.U32(),
            ActionsSelect = payload.U32(),
            ActionsIndirect = payload.U32(),
            ActionsFastFailover = payload.U32(),
        };
    }
}
