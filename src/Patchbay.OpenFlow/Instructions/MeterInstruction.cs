// struct ofp_instruction_meter (spec 1.3.5, 7.2.4): type, len = 8, meter_id u32.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

public sealed record MeterInstruction(uint MeterId) : OfpInstruction
{
    public const int Size = 8;

    public override OfpInstructionType InstructionType => OfpInstructionType.Meter;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.U32(MeterId);
}
