// OFPT_FLOW_MOD (spec 1.3.5, 7.3.4.1): cookie u64, cookie_mask u64, table_id u8, command u8,
// idle_timeout u16, hard_timeout u16, priority u16, buffer_id u32, out_port u32, out_group u32,
// flags u16, pad[2], then ofp_match (padded to 8) and instructions filling the rest of the message.
// Encoding allocates nothing: the controller sends these by the thousand.
using System.Text;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_flow_mod_command.</summary>
public enum FlowModCommand : byte
{
    Add = 0,
    Modify = 1,
    ModifyStrict = 2,
    Delete = 3,
    DeleteStrict = 4,
}

/// <summary>enum ofp_flow_mod_flags.</summary>
[Flags]
public enum FlowModFlags : ushort
{
    None = 0,
    SendFlowRem = 1 << 0,
    CheckOverlap = 1 << 1,
    ResetCounts = 1 << 2,
    NoPktCounts = 1 << 3,
    NoBytCounts = 1 << 4,
}

public sealed record FlowMod : OfpMessage
{
    /// <summary>The message with an empty match and no instructions (os-ken's OFP_FLOW_MOD_SIZE).</summary>
    public const int Size = 56;

    /// <summary>OFP_DEFAULT_PRIORITY.</summary>
    public const ushort DefaultPriority = 0x8000;

    private const int FieldsSize = 40;

    public override OfpType Type => OfpType.FlowMod;

    public ulong Cookie { get; init; }

    /// <summary>For modify and delete: which cookie bits must equal <see cref="Cookie"/>; 0 matches any cookie.</summary>
    public ulong CookieMask { get; init; }

    public byte TableId { get; init; }

    public FlowModCommand Command { get; init; }

    public ushort IdleTimeout { get; init; }

    public ushort HardTimeout { get; init; }

    public ushort Priority { get; init; } = DefaultPriority;

    /// <summary>A buffered packet to run through the new flow, or <see cref="OfpConstants.NoBuffer"/>.</summary>
    public uint BufferId { get; init; } = OfpConstants.NoBuffer;

    /// <summary>For delete: only flows that output to this port; <see cref="OfpPortNo.Any"/> for all.</summary>
    public uint OutPort { get; init; } = OfpPortNo.Any;

    /// <summary>For delete: only flows that output to this group; <see cref="OfpGroupId.Any"/> for all.</summary>
    public uint OutGroup { get; init; } = OfpGroupId.Any;

    public FlowModFlags Flags { get; init; }

    public OfpMatch Match { get; init; } = OfpMatch.Empty;

    public IReadOnlyList<OfpInstruction> Instructions { get; init; } = [];

    /// <summary>
    /// Deletes, in every table, the flows whose cookie agrees with <paramref name="cookie"/> on the bits
    /// set in <paramref name="cookieMask"/>: how everything one object owns is revoked in one message.
    /// </summary>
    public static FlowMod DeleteByCookie(ulong cookie, ulong cookieMask) => new()
    {
        Command = FlowModCommand.Delete,
        TableId = OfpTableId.All,
        Cookie = cookie,
        CookieMask = cookieMask,
    };

    protected override int BodyLength => FieldsSize + Match.PaddedLength + InstructionList.Length(Instructions);

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U64(Cookie);
        writer.U64(CookieMask);
        writer.U8(TableId);
        writer.U8((byte)Command);
        writer.U16(IdleTimeout);
        writer.U16(HardTimeout);
        writer.U16(Priority);
        writer.U32(BufferId);
        writer.U32(OutPort);
        writer.U32(OutGroup);
        writer.U16((ushort)Flags);
        writer.Pad(2);
        Match.Write(ref writer);
        InstructionList.Write(ref writer, Instructions);
    }

    internal static FlowMod ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        var flowMod = new FlowMod
        {
            Xid = header.Xid,
            Cookie = body.U64(),
            CookieMask = body.U64(),
            TableId = body.U8(),
            Command = (FlowModCommand)body.U8(),
            IdleTimeout = body.U16(),
            HardTimeout = body.U16(),
            Priority = body.U16(),
            BufferId = body.U32(),
            OutPort = body.U32(),
            OutGroup = body.U32(),
            Flags = (FlowModFlags)body.U16(),
        };
        body.Pad(2);
        OfpMatch match = OfpMatch.Read(ref body);
        return flowMod with { Match = match, Instructions = InstructionList.Read(ref body, body.Remaining) };
    }

    // Records compare lists by reference; a decoded flow-mod must equal the one that was sent.
    public bool Equals(FlowMod? other) =>
        other is not null
        && base.Equals(other)
        && Cookie == other.Cookie
        && CookieMask == other.CookieMask
        && TableId == other.TableId
        && Command == other.Command
        && IdleTimeout == other.IdleTimeout
        && HardTimeout == other.HardTimeout
        && Priority == other.Priority
        && BufferId == other.BufferId
        && OutPort == other.OutPort
        && OutGroup == other.OutGroup
        && Flags == other.Flags
        && Match.Equals(other.Match)
        && InstructionList.SequenceEqual(Instructions, other.Instructions);

    public override int GetHashCode() =>
        HashCode.Combine(Cookie, TableId, Priority, Match, InstructionList.SequenceHash(Instructions));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append(
            $", Cookie = 0x{Cookie:x}, CookieMask = 0x{CookieMask:x}, TableId = {TableId}, Command = {Command}, IdleTimeout = {IdleTimeout}, HardTimeout = {HardTimeout}, Priority = {Priority}, BufferId = {BufferId}, OutPort = {OutPort}, OutGroup = {OutGroup}, Flags = {Flags}, Match = {Match}, ");
        RecordText.List(builder, nameof(Instructions), Instructions);
        return true;
    }
}
