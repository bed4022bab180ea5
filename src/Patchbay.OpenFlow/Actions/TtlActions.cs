// The TTL actions (spec 1.3.5, 7.2.5). Header-only ones are ofp_action_generic (type, len = 8, pad[4]);
// ofp_action_mpls_ttl and ofp_action_nw_ttl carry the TTL u8 then pad[3].
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

/// <summary>Copies the TTL from the next-to-outermost header to the outermost.</summary>
public sealed record CopyTtlOutAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.CopyTtlOut;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}

/// <summary>Copies the TTL from the outermost header to the next-to-outermost.</summary>
public sealed record CopyTtlInAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.CopyTtlIn;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}

public sealed record SetMplsTtlAction(byte MplsTtl) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.SetMplsTtl;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8(MplsTtl);
        writer.Pad(3);
    }

    internal static SetMplsTtlAction ReadBody(ref WireReader body)
    {
        byte ttl = body.U8();
        body.Pad(3);
        return new SetMplsTtlAction(ttl);
    }
}

public sealed record DecMplsTtlAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.DecMplsTtl;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}

public sealed record SetNwTtlAction(byte NwTtl) : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.SetNwTtl;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8(NwTtl);
        writer.Pad(3);
    }

    internal static SetNwTtlAction ReadBody(ref WireReader body)
    {
        byte ttl = body.U8();
        body.Pad(3);
        return new SetNwTtlAction(ttl);
    }
}

public sealed record DecNwTtlAction : OfpAction
{
    public const int Size = 8;

    public override OfpActionType ActionType => OfpActionType.DecNwTtl;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}
