// struct ofp_packet_queue (spec 1.3.5, 7.3.6): queue_id u32, port u32, len u16, pad[6], then properties.
// Each property starts with ofp_queue_prop_header: property u16, len u16, pad[4]. MIN_RATE and MAX_RATE
// add rate u16 + pad[6] (16 bytes); EXPERIMENTER adds experimenter u32 + pad[4], then data.
// Lengths are taken as written: os-ken's vectors carry unpadded experimenter properties (len 17, 18)
// and queues of odd length, and those must round-trip.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_queue_properties.</summary>
public enum QueuePropertyType : ushort
{
    MinRate = 1,
    MaxRate = 2,
    Experimenter = 0xffff,
}

public abstract record QueueProperty
{
    /// <summary>Size of a MIN_RATE or MAX_RATE property, and of an EXPERIMENTER property without data.</summary>
    public const int Size = 16;

    public const int HeaderSize = 8;

    public abstract QueuePropertyType Property { get; }

    /// <summary>ofp_queue_prop_header.len: the whole property.</summary>
    public abstract int Length { get; }

    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)Property);
        writer.U16((ushort)Length);
        writer.Pad(4);
        WriteBody(ref writer);
        Declared.Check(Length, writer.Position - start, "ofp_queue_prop");
    }

    protected abstract void WriteBody(ref WireWriter writer);

    public static QueueProperty Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"queue property header needs {HeaderSize} bytes, {reader.Remaining} left");
        }

        var type = (QueuePropertyType)reader.U16();
        ushort length = reader.U16();
        if (length < Size || length - 4 > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"queue property len {length} with {reader.Remaining + 4} bytes left");
        }

        if (type != QueuePropertyType.Experimenter && length != Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"{type} queue property len {length}, must be {Size}");
        }

        reader.Pad(4);
        switch (type)
        {
            case QueuePropertyType.MinRate:
                ushort min = reader.U16();
                reader.Pad(6);
                return new MinRateQueueProperty(min);
            case QueuePropertyType.MaxRate:
                ushort max = reader.U16();
                reader.Pad(6);
                return new MaxRateQueueProperty(max);
            case QueuePropertyType.Experimenter:
                uint experimenter = reader.U32();
                reader.Pad(4);
                return new ExperimenterQueueProperty(experimenter, reader.BytesArray(length - Size));
            default:
                return OpenFlowProtocolException.Throw<QueueProperty>(ProtocolErrorReason.BadValue, $"queue property type {(ushort)type}");
        }
    }
}

/// <summary>OFPQT_MIN_RATE: guaranteed rate in 1/10 of a percent; above 1000 means disabled.</summary>
public sealed record MinRateQueueProperty(ushort Rate) : QueueProperty
{
    public override QueuePropertyType Property => QueuePropertyType.MinRate;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(Rate);
        writer.Pad(6);
    }
}

/// <summary>OFPQT_MAX_RATE: maximum rate in 1/10 of a percent; above 1000 means disabled.</summary>
public sealed record MaxRateQueueProperty(ushort Rate) : QueueProperty
{
    public override QueuePropertyType Property => QueuePropertyType.MaxRate;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16(Rate);
        writer.Pad(6);
    }
}

/// <summary>OFPQT_EXPERIMENTER: the bytes after the experimenter id and its padding are kept as they came.</summary>
public sealed record ExperimenterQueueProperty(uint Experimenter, ReadOnlyMemory<byte> Data) : QueueProperty
{
    public override QueuePropertyType Property => QueuePropertyType.Experimenter;

    public override int Length => Size + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Experimenter);
        writer.Pad(4);
        writer.Bytes(Data.Span);
    }

    public bool Equals(ExperimenterQueueProperty? other) =>
        other is not null && Experimenter == other.Experimenter && ValueEquality.Bytes(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(Experimenter, ValueEquality.BytesHash(Data));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Experimenter = 0x{Experimenter:x8}, ");
        RecordText.Bytes(builder, nameof(Data), Data);
        return true;
    }
}

public sealed record PacketQueue(uint QueueId, uint Port, IReadOnlyList<QueueProperty> Properties)
{
    /// <summary>The fixed part before the properties.</summary>
    public const int HeaderSize = 16;

    /// <summary>ofp_packet_queue.len: header plus properties.</summary>
    public int Length
    {
        get
        {
            int length = HeaderSize;
            for (int i = 0; i < Properties.Count; i++)
            {
                length += Properties[i].Length;
            }

            return length;
        }
    }

    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        int length = Length;
        writer.U32(QueueId);
        writer.U32(Port);
        writer.U16((ushort)length);
        writer.Pad(6);
        for (int i = 0; i < Properties.Count; i++)
        {
            Properties[i].Write(ref writer);
        }

        Declared.Check(length, writer.Position - start, "ofp_packet_queue");
    }

    public static PacketQueue Read(ref WireReader reader)
    {
        if (reader.Remaining < HeaderSize)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"ofp_packet_queue needs {HeaderSize} bytes, {reader.Remaining} left");
        }

        uint queueId = reader.U32();
        uint port = reader.U32();
        ushort length = reader.U16();
        if (length < HeaderSize || length - 10 > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"ofp_packet_queue.len {length} with {reader.Remaining + 10} bytes left");
        }

        reader.Pad(6);
        WireReader list = reader.Sub(length - HeaderSize, ProtocolErrorReason.BadElementLength);
        var properties = new List<QueueProperty>();
        while (!list.End)
        {
            properties.Add(QueueProperty.Read(ref list));
        }

        return new PacketQueue(queueId, port, properties);
    }

    public bool Equals(PacketQueue? other) =>
        other is not null && QueueId == other.QueueId && Port == other.Port && ValueEquality.Lists(Properties, other.Properties);

    public override int GetHashCode() => HashCode.Combine(QueueId, Port, ValueEquality.ListHash(Properties));

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"QueueId = {QueueId}, Port = {Port}, ");
        RecordText.List(builder, nameof(Properties), Properties);
        return true;
    }
}
