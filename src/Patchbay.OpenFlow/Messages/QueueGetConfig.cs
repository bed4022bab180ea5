// OFPT_QUEUE_GET_CONFIG_REQUEST (spec 1.3.5, 7.3.6): port u32, pad[4] = 16 bytes with the header.
// OFPT_QUEUE_GET_CONFIG_REPLY: port u32, pad[4], then ofp_packet_queue entries filling the message.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record QueueGetConfigRequest(uint Port) : OfpMessage
{
    public const int Size = 16;

    public override OfpType Type => OfpType.QueueGetConfigRequest;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Port);
        writer.Pad(4);
    }

    internal static QueueGetConfigRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        uint port = body.U32();
        body.Pad(4);
        return new QueueGetConfigRequest(port) { Xid = header.Xid };
    }
}

public sealed record QueueGetConfigReply(uint Port, IReadOnlyList<PacketQueue> Queues) : OfpMessage
{
    /// <summary>The message without queues.</summary>
    public const int Size = 16;

    public override OfpType Type => OfpType.QueueGetConfigReply;

    protected override int BodyLength
    {
        get
        {
            int length = Size - OfpConstants.HeaderSize;
            for (int i = 0; i < Queues.Count; i++)
            {
                length += Queues[i].Length;
            }

            return length;
        }
    }

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Port);
        writer.Pad(4);
        for (int i = 0; i < Queues.Count; i++)
        {
            Queues[i].Write(ref writer);
        }
    }

    internal static QueueGetConfigReply ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        uint port = body.U32();
        body.Pad(4);
        var queues = new List<PacketQueue>();
        while (!body.End)
        {
            queues.Add(PacketQueue.Read(ref body));
        }

        return new QueueGetConfigReply(port, queues) { Xid = header.Xid };
    }

    public bool Equals(QueueGetConfigReply? other) =>
        other is not null && base.Equals(other) && Port == other.Port && ValueEquality.Lists(Queues, other.Queues);

    public override int GetHashCode() => HashCode.Combine(Port, ValueEquality.ListHash(Queues));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Port = {Port}, ");
        RecordText.List(builder, nameof(Queues), Queues);
        return true;
    }
}
