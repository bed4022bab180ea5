// struct ofp_action_experimenter_header (spec 1.3.5, 7.2.5): type = 0xffff, len u16, experimenter u32,
// then experimenter-defined bytes. Those bytes (a Nicira subtype, its body and its padding) are kept
// opaque and exact, so that extension actions from OVS round-trip byte for byte.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Actions;

/// <summary>An experimenter action; <paramref name="Data"/> is everything after the experimenter id, padding included.</summary>
public sealed record ExperimenterAction(uint Experimenter, ReadOnlyMemory<byte> Data) : OfpAction
{
    /// <summary>The Nicira (OVS) experimenter id.</summary>
    public const uint Nicira = 0x00002320;

    /// <summary>The ONF experimenter id.</summary>
    public const uint Onf = 0x4f4e4600;

    public override OfpActionType ActionType => OfpActionType.Experimenter;

    /// <summary>Header, experimenter id and data; the data must already be padded so this is a multiple of 8.</summary>
    public override int Length => HeaderSize + 4 + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        if (Length % 8 != 0)
        {
            throw new InvalidOperationException($"experimenter action of {Length} bytes is not a multiple of 8; pad Data");
        }

        writer.U32(Experimenter);
        writer.Bytes(Data.Span);
    }

    // Records compare ReadOnlyMemory by reference; a decoded action must equal the one that was sent.
    public bool Equals(ExperimenterAction? other) =>
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

    internal static ExperimenterAction ReadBody(ref WireReader body)
    {
        uint experimenter = body.U32();
        return new ExperimenterAction(experimenter, body.RestArray());
    }
}
