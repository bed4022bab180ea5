// struct ofp_action_header (spec 1.3.5, 7.2.5): type u16, len u16 (a multiple of 8), then the action's body.
// Each concrete action declares its length and writes exactly that many bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

/// <summary>enum ofp_action_type.</summary>
public enum OfpActionType : ushort
{
    Output = 0,
    CopyTtlOut = 11,
    CopyTtlIn = 12,
    SetMplsTtl = 15,
    DecMplsTtl = 16,
    PushVlan = 17,
    PopVlan = 18,
    PushMpls = 19,
    PopMpls = 20,
    SetQueue = 21,
    Group = 22,
    SetNwTtl = 23,
    DecNwTtl = 24,
    SetField = 25,
    PushPbb = 26,
    PopPbb = 27,
    Experimenter = 0xffff,
}

public abstract record OfpAction
{
    public const int HeaderSize = 4;

    public abstract OfpActionType ActionType { get; }

    /// <summary>ofp_action_header.len: the whole action, padding included.</summary>
    public abstract int Length { get; }

    /// <summary>Writes the type, length and body: exactly <see cref="Length"/> bytes.</summary>
    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)ActionType);
        writer.U16((ushort)Length);
        WriteBody(ref writer);
        Declared.Check(Length, writer.Position - start, ActionType.ToString());
    }

    protected abstract void WriteBody(ref WireWriter writer);
}
