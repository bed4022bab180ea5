// OFPT_PORT_STATUS (spec 1.3.5, 7.4.3): reason u8, pad[7], struct ofp_port = 80 bytes with the header.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_port_reason.</summary>
public enum PortReason : byte
{
    Add = 0,
    Delete = 1,
    Modify = 2,
}

public sealed record PortStatus(PortReason Reason, PortDescription Desc) : OfpMessage
{
    public const int Size = 80;

    public override OfpType Type => OfpType.PortStatus;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8((byte)Reason);
        writer.Pad(7);
        Desc.Write(ref writer);
    }

    internal static PortStatus ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        var reason = (PortReason)body.U8();
        body.Pad(7);
        return new PortStatus(reason, PortDescription.Read(ref body)) { Xid = header.Xid };
    }
}
