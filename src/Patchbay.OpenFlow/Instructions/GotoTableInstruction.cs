// struct ofp_instruction_goto_table (spec 1.3.5, 7.2.4): type, len = 8, table_id u8, pad[3].
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

public sealed record GotoTableInstruction(byte TableId) : OfpInstruction
{
    public const int Size = 8;

    public override OfpInstructionType InstructionType => OfpInstructionType.GotoTable;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8(TableId);
        writer.Pad(3);
    }
}
