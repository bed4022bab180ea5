// struct ofp_action_set_field (spec 1.3.5, 7.2.5): type u16, len u16, one OXM TLV, then zero padding
// so that len = ALIGN8(4 + OXM length).
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

public sealed record SetFieldAction(OxmField Field) : OfpAction
{
    public override OfpActionType ActionType => OfpActionType.SetField;

    public override int Length => Declared.Align8(HeaderSize + Field.Length);

    // The action started HeaderSize bytes before its body; the padding aligns it from there without measuring the OXM.
    protected override void WriteBody(ref WireWriter writer)
    {
        int start = writer.Position - HeaderSize;
        Field.Write(ref writer);
        writer.PadTo8(start);
    }

    internal static SetFieldAction ReadBody(int length, ref WireReader body)
    {
        OxmField field = OxmField.Read(ref body);
        int expected = Declared.Align8(HeaderSize + field.Length);
        if (length != expected)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"set-field with a {field.Length}-byte OXM is {expected} bytes, not {length}");
        }

        body.Pad(body.Remaining);
        return new SetFieldAction(field);
    }
}
