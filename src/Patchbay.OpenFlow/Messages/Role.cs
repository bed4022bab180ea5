// OFPT_ROLE_REQUEST / OFPT_ROLE_REPLY (spec 1.3.5, 7.3.9): role u32, pad[4], generation_id u64
// = 24 bytes with the header.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_controller_role.</summary>
public enum ControllerRole : uint
{
    NoChange = 0,
    Equal = 1,
    Master = 2,
    Slave = 3,
}

public sealed record RoleRequest(ControllerRole Role, ulong GenerationId) : OfpMessage
{
    public const int Size = 24;

    public override OfpType Type => OfpType.RoleRequest;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer) => RoleBody.Write(ref writer, Role, GenerationId);

    internal static RoleRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        (ControllerRole role, ulong generation) = RoleBody.Read(ref body);
        return new RoleRequest(role, generation) { Xid = header.Xid };
    }
}

public sealed record RoleReply(ControllerRole Role, ulong GenerationId) : OfpMessage
{
    public const int Size = 24;

    public override OfpType Type => OfpType.RoleReply;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer) => RoleBody.Write(ref writer, Role, GenerationId);

    internal static RoleReply ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        (ControllerRole role, ulong generation) = RoleBody.Read(ref body);
        return new RoleReply(role, generation) { Xid = header.Xid };
    }
}

internal static class RoleBody
{
    public static void Write(ref WireWriter writer, ControllerRole role, ulong generationId)
    {
        writer.U32((uint)role);
        writer.Pad(4);
        writer.U64(generationId);
    }

    public static (ControllerRole Role, ulong GenerationId) Read(ref WireReader body)
    {
        var role = (ControllerRole)body.U32();
        body.Pad(4);
        return (role, body.U64());
    }
}
