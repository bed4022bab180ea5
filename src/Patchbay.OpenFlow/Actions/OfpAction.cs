// struct ofp_action_header (spec 1.3.5, 7.2.5): type u16, len u16 (a multiple of 8), then the action's body.
// Each concrete action declares its length (for sizing the message) and writes exactly that many bytes;
// Read checks every length rule before it slices, so a bad action never reads into its neighbour.
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

    /// <summary>The smallest action on the wire: header plus 4 bytes (ofp_action_generic).</summary>
    public const int MinSize = 8;

    public abstract OfpActionType ActionType { get; }

    /// <summary>ofp_action_header.len: the whole action, padding included.</summary>
    public abstract int Length { get; }

    /// <summary>
    /// Writes the type, length and body: <see cref="Length"/> bytes. len is back-filled from what the body wrote,
    /// so encoding does not measure the action again; the enclosing message checks its total against its declared length.
    /// </summary>
    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)ActionType);
        int length = writer.ReserveLength();
        WriteBody(ref writer);
        writer.PatchLength(length, start);
    }

    protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>
    /// Reads one action. Throws <see cref="ProtocolErrorReason.BadActionLength"/> when len is below 8,
    /// not a multiple of 8, overruns the reader, or differs from a fixed-size action's size, and
    /// <see cref="ProtocolErrorReason.BadValue"/> for an action type 1.3 does not define (OFPBAC_BAD_TYPE).
    /// </summary>
    public static OfpAction Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"action header needs 4 bytes, {reader.Remaining} left in list");
        }

        var type = (OfpActionType)reader.U16();
        int length = reader.U16();
        if (length < MinSize || length % 8 != 0)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"action {type} len {length} is not a multiple of 8 of at least 8");
        }

        if (length - HeaderSize > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"action {type} len {length} with {reader.Remaining + HeaderSize} bytes left in list");
        }

        int fixedSize = FixedSize(type);
        if (fixedSize != 0 && length != fixedSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadActionLength, $"action {type} is {fixedSize} bytes, not {length}");
        }

        WireReader body = reader.Sub(length - HeaderSize, ProtocolErrorReason.BadActionLength);
        return type switch
        {
            OfpActionType.Output => OutputAction.ReadBody(ref body),
            OfpActionType.CopyTtlOut => new CopyTtlOutAction(),
            OfpActionType.CopyTtlIn => new CopyTtlInAction(),
            OfpActionType.SetMplsTtl => SetMplsTtlAction.ReadBody(ref body),
            OfpActionType.DecMplsTtl => new DecMplsTtlAction(),
            OfpActionType.PushVlan => new PushVlanAction(body.U16()),
            OfpActionType.PopVlan => new PopVlanAction(),
            OfpActionType.PushMpls => new PushMplsAction(body.U16()),
            OfpActionType.PopMpls => new PopMplsAction(body.U16()),
            OfpActionType.SetQueue => new SetQueueAction(body.U32()),
            OfpActionType.Group => new GroupAction(body.U32()),
            OfpActionType.SetNwTtl => SetNwTtlAction.ReadBody(ref body),
            OfpActionType.DecNwTtl => new DecNwTtlAction(),
            OfpActionType.SetField => SetFieldAction.ReadBody(length, ref body),
            OfpActionType.PushPbb => new PushPbbAction(body.U16()),
            OfpActionType.PopPbb => new PopPbbAction(),
            OfpActionType.Experimenter => ExperimenterAction.ReadBody(ref body),
            _ => OpenFlowProtocolException.Throw<OfpAction>(ProtocolErrorReason.BadValue, $"action type {(ushort)type} is not an OpenFlow 1.3 action"),
        };
    }

    /// <summary>The wire size of a fixed-size action type, or 0 for a variable-size or unknown one.</summary>
    public static int FixedSize(OfpActionType type) => type switch
    {
        OfpActionType.Output => OutputAction.Size,
        OfpActionType.SetField or OfpActionType.Experimenter => 0,
        _ when Enum.IsDefined(type) => MinSize,
        _ => 0,
    };
}
