// struct ofp_action_output (spec 1.3.5, 7.2.5): type u16, len u16 = 16, port u32, max_len u16, pad[6].
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

/// <summary>Sends the packet out <paramref name="Port"/>; <paramref name="MaxLen"/> bytes go to the controller when Port is <see cref="OfpPortNo.Controller"/>.</summary>
public sealed record OutputAction(uint Port, ushort MaxLen) : OfpAction
{
    public const int Size = 16;

    /// <summary>Output to a port, with max_len 0 (only meaningful for the controller port).</summary>
    public OutputAction(uint port)
        : this(port, 0)
    {
    }

    public override OfpActionType ActionType => OfpActionType.Output;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Port);
        writer.U16(MaxLen);
        writer.Pad(6);
    }

    internal static OutputAction ReadBody(ref WireReader body)
    {
        uint port = body.U32();
        ushort maxLen = body.U16();
        body.Pad(6);
        return new OutputAction(port, maxLen);
    }
}
