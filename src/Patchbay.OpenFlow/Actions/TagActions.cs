// Push and pop of VLAN, MPLS and PBB tags (spec 1.3.5, 7.2.5). ofp_action_push and ofp_action_pop_mpls
// are type, len = 8, ethertype u16, pad[2]; the plain pops are ofp_action_generic (type, len = 8, pad[4]).
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

/// <summary>Pushes an 802.1Q tag; <paramref name="EtherType"/> is 0x8100 or 0x88a8.</summary>
public sealed record PushVlanAction(ushort EtherType) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PushVlan;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(EtherType);
        writer.Pad(2);
    }
}

public sealed record PopVlanAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PopVlan;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}

/// <summary>Pushes an MPLS shim; <paramref name="EtherType"/> is 0x8847 or 0x8848.</summary>
public sealed record PushMplsAction(ushort EtherType) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PushMpls;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(EtherType);
        writer.Pad(2);
    }
}

/// <summary>Pops the outermost MPLS shim; <paramref name="EtherType"/> is the payload's ethertype afterwards.</summary>
public sealed record PopMplsAction(ushort EtherType) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PopMpls;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(EtherType);
        writer.Pad(2);
    }
}

/// <summary>Pushes an 802.1ah PBB service tag; <paramref name="EtherType"/> is 0x88e7.</summary>
public sealed record PushPbbAction(ushort EtherType) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PushPbb;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(EtherType);
        writer.Pad(2);
    }
}

public sealed record PopPbbAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.PopPbb;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}
