// OFPT_PACKET_OUT (spec 1.3.5, 7.3.7): buffer_id u32, in_port u32, actions_len u16, pad[6], actions,
// then the packet's bytes (only when buffer_id is OFP_NO_BUFFER).
using System.Text;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record PacketOut(uint BufferId, uint InPort, IReadOnlyList<OfpAction> Actions, ReadOnlyMemory<byte> Data) : OfpMessage
{
    /// <summary>The message without actions or data.</summary>
    public const int Size = 24;

    public override OfpType Type => OfpType.PacketOut;

    protected override int BodyLength => Size - OfpConstants.HeaderSize + ActionList.Length(Actions) + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(BufferId);
        writer.U32(InPort);
        int actionsLength = writer.ReserveLength();
        writer.Pad(6);
        int actions = writer.Position;
        ActionList.Write(ref writer, Actions);
        writer.PatchLength(actionsLength, actions);
        writer.Bytes(Data.Span);
    }

    internal static PacketOut ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        uint bufferId = body.U32();
        uint inPort = body.U32();
        ushort actionsLength = body.U16();
        body.Pad(6);
        IReadOnlyList<OfpAction> actions = ActionList.Read(ref body, actionsLength);
        return new PacketOut(bufferId, inPort, actions, body.RestArray()) { Xid = header.Xid };
    }

    public bool Equals(PacketOut? other) =>
        other is not null
        && base.Equals(other)
        && BufferId == other.BufferId
        && InPort == other.InPort
        && ActionList.SequenceEqual(Actions, other.Actions)
        && ValueEquality.Bytes(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(BufferId, InPort, ActionList.SequenceHash(Actions), ValueEquality.BytesHash(Data));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", BufferId = {BufferId}, InPort = {InPort}, ");
        RecordText.List(builder, nameof(Actions), Actions).Append(", ");
        RecordText.Bytes(builder, nameof(Data), Data);
        return true;
    }
}
