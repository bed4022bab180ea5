// OFPT_GROUP_MOD (spec 1.3.5, 7.3.4.2): command u16, type u8, pad u8, group_id u32, then buckets
// filling the rest of the message.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_group_mod_command.</summary>
public enum GroupModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

/// <summary>enum ofp_group_type.</summary>
public enum GroupType : byte
{
    All = 0,
    Select = 1,
    Indirect = 2,
    FastFailover = 3,
}

public sealed record GroupMod(GroupModCommand Command, GroupType GroupType, uint GroupId, IReadOnlyList<Bucket> Buckets) : OfpMessage
{
    /// <summary>The message without buckets.</summary>
    public const int Size = 16;

    public override OfpType Type => OfpType.GroupMod;

    protected override int BodyLength => Size - OfpConstants.HeaderSize + BucketList.Length(Buckets);

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)Command);
        writer.U8((byte)GroupType);
        writer.Pad(1);
        writer.U32(GroupId);
        BucketList.Write(ref writer, Buckets);
    }

    internal static GroupMod ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        var command = (GroupModCommand)body.U16();
        var type = (GroupType)body.U8();
        body.Pad(1);
        uint groupId = body.U32();
        return new GroupMod(command, type, groupId, BucketList.Read(ref body, body.Remaining)) { Xid = header.Xid };
    }

    public bool Equals(GroupMod? other) =>
        other is not null
        && base.Equals(other)
        && Command == other.Command
        && GroupType == other.GroupType
        && GroupId == other.GroupId
        && ValueEquality.Lists(Buckets, other.Buckets);

    public override int GetHashCode() => HashCode.Combine(Command, GroupType, GroupId, ValueEquality.ListHash(Buckets));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Command = {Command}, GroupType = {GroupType}, GroupId = {GroupId}, ");
        RecordText.List(builder, nameof(Buckets), Buckets);
        return true;
    }
}
