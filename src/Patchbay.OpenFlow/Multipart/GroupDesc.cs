// OFPMP_GROUP_DESC (spec 1.3.5, 7.3.5.10): empty request; reply is a list of struct ofp_group_desc =
// length u16, type u8 (OFPGT_*), pad, group_id u32 (8 bytes), then the group's buckets.
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record GroupDescRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.GroupDesc;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static GroupDescRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.GroupDesc);
        return new GroupDescRequest();
    }
}

public sealed record GroupDescription(GroupType GroupType, uint GroupId, IReadOnlyList<Bucket> Buckets) : IMultipartEntry<GroupDescription>
{
    /// <summary>The fixed part, without buckets.</summary>
    public const int Size = 8;

    /// <summary>ofp_group_desc.length.</summary>
    public int Length => Size + BucketList.Length(Buckets);

    public void Write(ref WireWriter writer)
    {
        writer.U16((ushort)Length);
        writer.U8((byte)GroupType);
        writer.Pad(1);
        writer.U32(GroupId);
        BucketList.Write(ref writer, Buckets);
    }

    public static GroupDescription Read(ref WireReader body)
    {
        ushort length = body.U16();
        WireReader entry = MultipartBody.Entry(ref body, length, Size, 2, "ofp_group_desc");
        var type = (GroupType)entry.U8();
        entry.Pad(1);
        uint groupId = entry.U32();
        return new GroupDescription(type, groupId, BucketList.Read(ref entry, entry.Remaining));
    }

    // Records compare lists by reference; a decoded entry must equal the one that was encoded.
    public bool Equals(GroupDescription? other) =>
        other is not null
        && GroupType == other.GroupType
        && GroupId == other.GroupId
        && Buckets.SequenceEqual(other.Buckets);

    public override int GetHashCode() => HashCode.Combine(GroupType, GroupId, Buckets.Count);
}

public sealed record GroupDescReply(IReadOnlyList<GroupDescription> Entries) : MultipartListReply<GroupDescription>(Entries)
{
    public override MultipartType MultipartType => MultipartType.GroupDesc;

    private protected override int EntryLength(GroupDescription entry) => entry.Length;

    private protected override void WriteEntry(ref WireWriter writer, GroupDescription entry) => entry.Write(ref writer);

    internal static GroupDescReply ReadPayload(ref WireReader payload) => new(MultipartBody.ReadAll<GroupDescription>(ref payload));
}
