// struct ofp_instruction_experimenter (spec 1.3.5, 7.2.4): type = 0xffff, len u16, experimenter u32, then
// experimenter-defined bytes, kept opaque and exact so they round-trip.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Instructions;

/// <summary>An experimenter instruction; <paramref name="Data"/> is everything after the experimenter id, padding included.</summary>
public sealed record ExperimenterInstruction(uint Experimenter, ReadOnlyMemory<byte> Data) : OfpInstruction
{
    /// <summary>Header, experimenter id and data; the data must already be padded so this is a multiple of 8.</summary>
    public override int Length => HeaderSize + 4 + Data.Length;

    public override OfpInstructionType InstructionType => OfpInstructionType.Experimenter;

    protected override void WriteBody(ref WireWriter writer)
    {
        if (Length % 8 != 0)
        {
            throw new InvalidOperationException($"experimenter instruction of {Length} bytes is not a multiple of 8; pad Data");
        }

        writer.U32(Experimenter);
        writer.Bytes(Data.Span);
    }

    // Records compare ReadOnlyMemory by reference; a decoded instruction must equal the one that was sent.
    public bool Equals(ExperimenterInstruction? other) =>
        other is not null && Experimenter == other.Experimenter && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Experimenter);
        hash.AddBytes(Data.Span);
        return hash.ToHashCode();
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Experimenter = 0x{Experimenter:x8}, Data = {Convert.ToHexStringLower(Data.Span)}");
        return true;
    }

    internal static ExperimenterInstruction ReadBody(ref WireReader body)
    {
        uint experimenter = body.U32();
        return new ExperimenterInstruction(experimenter, body.RestArray());
    }
}
