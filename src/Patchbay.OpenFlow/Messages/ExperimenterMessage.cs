// OFPT_EXPERIMENTER (spec 1.3.5, 7.5.4): experimenter u32, exp_type u32, then experimenter-defined data.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record ExperimenterMessage(uint Experimenter, uint ExpType, ReadOnlyMemory<byte> Data) : OfpMessage
{
    /// <summary>The message without data.</summary>
    public const int Size = 16;

    public override OfpType Type => OfpType.Experimenter;

    protected override int BodyLength => Size - OfpConstants.HeaderSize + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Experimenter);
        writer.U32(ExpType);
        writer.Bytes(Data.Span);
    }

    internal static ExperimenterMessage ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        uint experimenter = body.U32();
        uint expType = body.U32();
        return new ExperimenterMessage(experimenter, expType, body.RestArray()) { Xid = header.Xid };
    }

    public bool Equals(ExperimenterMessage? other) =>
        other is not null && base.Equals(other) && Experimenter == other.Experimenter && ExpType == other.ExpType && ValueEquality.Bytes(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(Experimenter, ExpType, ValueEquality.BytesHash(Data));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Experimenter = 0x{Experimenter:x8}, ExpType = {ExpType}, ");
        RecordText.Bytes(builder, nameof(Data), Data);
        return true;
    }
}
