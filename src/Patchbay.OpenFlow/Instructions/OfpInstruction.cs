// struct ofp_instruction (spec 1.3.5, 7.2.4): type u16, len u16, then the instruction's body.
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

    public abstract OfpInstructionType InstructionType { get; }

    /// <summary>ofp_instruction.len: the whole instruction, padding included.</summary>
    public abstract int Length { get; }

    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)InstructionType);
        writer.U16((ushort)Length);
        WriteBody(ref writer);
        Declared.Check(Length, writer.Position - start, InstructionType.ToString());
    }

    protected abstract void WriteBody(ref WireWriter writer);
}
