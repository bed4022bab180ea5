// struct ofp_instruction_write_metadata (spec 1.3.5, 7.2.4): type, len = 24, pad[4], metadata u64, metadata_mask u64.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

/// <summary>Sets the metadata bits selected by <paramref name="MetadataMask"/> to those of <paramref name="Metadata"/>.</summary>
public sealed record WriteMetadataInstruction(ulong Metadata, ulong MetadataMask) : OfpInstruction
{
    public const int Size = 24;

    public override OfpInstructionType InstructionType => OfpInstructionType.WriteMetadata;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.Pad(4);
        writer.U64(Metadata);
        writer.U64(MetadataMask);
    }

    internal static WriteMetadataInstruction ReadBody(ref WireReader body)
    {
        body.Pad(4);
        ulong metadata = body.U64();
        return new WriteMetadataInstruction(metadata, body.U64());
    }
}
