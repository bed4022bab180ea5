// struct ofp_instruction (spec 1.3.5, 7.2.4): type u16, len u16 (a multiple of 8), then the instruction's body.
// Read checks every length rule before it slices, so a bad instruction never reads into its neighbour.
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

/// <summary>enum ofp_instruction_type.</summary>
public enum OfpInstructionType : ushort
{
    GotoTable = 1,
    WriteMetadata = 2,
    WriteActions = 3,
    ApplyActions = 4,
    ClearActions = 5,
    Meter = 6,
    Experimenter = 0xffff,
}

public abstract record OfpInstruction
{
    public const int HeaderSize = 4;

    /// <summary>The smallest instruction on the wire (goto-table, clear-actions, meter, an empty action list).</summary>
    public const int MinSize = 8;

    public abstract OfpInstructionType InstructionType { get; }

    /// <summary>ofp_instruction.len: the whole instruction, padding included.</summary>
    public abstract int Length { get; }

    /// <summary>
    /// Writes the type, length and body: <see cref="Length"/> bytes. len is back-filled from what the body wrote,
    /// so encoding does not walk an action list twice; the enclosing message checks its total against its declared length.
    /// </summary>
    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)InstructionType);
        int length = writer.ReserveLength();
        WriteBody(ref writer);
        writer.PatchLength(length, start);
    }

    protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>
    /// Reads one instruction. Throws <see cref="ProtocolErrorReason.BadInstructionLength"/> when len is below 8,
    /// not a multiple of 8, overruns the reader, or differs from a fixed-size instruction's size;
    /// <see cref="ProtocolErrorReason.BadActionLength"/> when a nested action does not fit its instruction; and
    /// <see cref="ProtocolErrorReason.BadValue"/> for an instruction type 1.3 does not define (OFPBIC_UNKNOWN_INST).
    /// </summary>
    public static OfpInstruction Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadInstructionLength, $"instruction header needs 4 bytes, {reader.Remaining} left in list");
        }

        var type = (OfpInstructionType)reader.U16();
        int length = reader.U16();
        if (length < MinSize || length % 8 != 0)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadInstructionLength, $"instruction {type} len {length} is not a multiple of 8 of at least 8");
        }

        if (length - HeaderSize > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadInstructionLength, $"instruction {type} len {length} with {reader.Remaining + HeaderSize} bytes left in list");
        }

        int fixedSize = FixedSize(type);
        if (fixedSize != 0 && length != fixedSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadInstructionLength, $"instruction {type} is {fixedSize} bytes, not {length}");
        }

        WireReader body = reader.Sub(length - HeaderSize, ProtocolErrorReason.BadInstructionLength);
        return type switch
        {
            OfpInstructionType.GotoTable => new GotoTableInstruction(body.U8()),
            OfpInstructionType.WriteMetadata => WriteMetadataInstruction.ReadBody(ref body),
            OfpInstructionType.WriteActions => new WriteActionsInstruction(ReadActions(ref body)),
            OfpInstructionType.ApplyActions => new ApplyActionsInstruction(ReadActions(ref body)),
            OfpInstructionType.ClearActions => new ClearActionsInstruction(),
            OfpInstructionType.Meter => new MeterInstruction(body.U32()),
            OfpInstructionType.Experimenter => ExperimenterInstruction.ReadBody(ref body),
            _ => OpenFlowProtocolException.Throw<OfpInstruction>(ProtocolErrorReason.BadValue, $"instruction type {(ushort)type} is not an OpenFlow 1.3 instruction"),
        };
    }

    /// <summary>The wire size of a fixed-size instruction type, or 0 for a variable-size or unknown one.</summary>
    public static int FixedSize(OfpInstructionType type) => type switch
    {
        OfpInstructionType.GotoTable or OfpInstructionType.ClearActions or OfpInstructionType.Meter => MinSize,
        OfpInstructionType.WriteMetadata => WriteMetadataInstruction.Size,
        _ => 0,
    };

    // ofp_instruction_actions: pad[4] after the header, then actions filling the rest of len.
    private static IReadOnlyList<OfpAction> ReadActions(ref WireReader body)
    {
        body.Pad(4);
        return ActionList.Read(ref body, body.Remaining);
    }
}
