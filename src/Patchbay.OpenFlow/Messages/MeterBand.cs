// Meter bands (spec 1.3.5, 7.3.4.5): struct ofp_meter_band_header is type u16, len u16, rate u32,
// burst_size u32 (12 bytes); DROP adds pad[4], DSCP_REMARK adds prec_level u8 + pad[3] (16 bytes each);
// EXPERIMENTER adds experimenter u32 then data. Shared by METER_MOD and the METER_CONFIG multipart reply.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_meter_band_type.</summary>
public enum MeterBandType : ushort
{
    Drop = 1,
    DscpRemark = 2,
    Experimenter = 0xffff,
}

public abstract record MeterBand(uint Rate, uint BurstSize)
{
    /// <summary>Size of a DROP or DSCP_REMARK band, and of an EXPERIMENTER band without data.</summary>
    public const int Size = 16;

    public abstract MeterBandType BandType { get; }

    /// <summary>ofp_meter_band_header.len: the whole band.</summary>
    public abstract int Length { get; }

    public void Write(ref WireWriter writer)
    {
        int start = writer.Position;
        writer.U16((ushort)BandType);
        writer.U16((ushort)Length);
        writer.U32(Rate);
        writer.U32(BurstSize);
        WriteBody(ref writer);
        Declared.Check(Length, writer.Position - start, "ofp_meter_band");
    }

    protected abstract void WriteBody(ref WireWriter writer);

    /// <summary>Reads one band; its len must fit in what is left of the enclosing list.</summary>
    public static MeterBand Read(ref WireReader reader)
    {
        if (reader.Remaining < Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"meter band needs {Size} bytes, {reader.Remaining} left");
        }

        var type = (MeterBandType)reader.U16();
        ushort length = reader.U16();
        if (length < Size || length - 4 > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"meter band len {length} with {reader.Remaining + 4} bytes left");
        }

        if (type != MeterBandType.Experimenter && length != Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"{type} meter band len {length}, must be {Size}");
        }

        uint rate = reader.U32();
        uint burst = reader.U32();
        switch (type)
        {
            case MeterBandType.Drop:
                reader.Pad(4);
                return new MeterBandDrop(rate, burst);
            case MeterBandType.DscpRemark:
                byte precLevel = reader.U8();
                reader.Pad(3);
                return new MeterBandDscpRemark(rate, burst, precLevel);
            case MeterBandType.Experimenter:
                uint experimenter = reader.U32();
                return new MeterBandExperimenter(rate, burst, experimenter, reader.BytesArray(length - Size));
            default:
                return OpenFlowProtocolException.Throw<MeterBand>(ProtocolErrorReason.BadValue, $"meter band type {(ushort)type}");
        }
    }
}

/// <summary>OFPMBT_DROP: drop packets above the rate.</summary>
public sealed record MeterBandDrop(uint Rate, uint BurstSize) : MeterBand(Rate, BurstSize)
{
    public override MeterBandType BandType => MeterBandType.Drop;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer) => writer.Pad(4);
}

/// <summary>OFPMBT_DSCP_REMARK: raise the drop precedence of the DSCP field by <see cref="PrecLevel"/>.</summary>
public sealed record MeterBandDscpRemark(uint Rate, uint BurstSize, byte PrecLevel) : MeterBand(Rate, BurstSize)
{
    public override MeterBandType BandType => MeterBandType.DscpRemark;

    public override int Length => Size;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8(PrecLevel);
        writer.Pad(3);
    }
}

/// <summary>OFPMBT_EXPERIMENTER: the bytes after the experimenter id are kept as they came.</summary>
public sealed record MeterBandExperimenter(uint Rate, uint BurstSize, uint Experimenter, ReadOnlyMemory<byte> Data) : MeterBand(Rate, BurstSize)
{
    public override MeterBandType BandType => MeterBandType.Experimenter;

    public override int Length => Size + Data.Length;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U32(Experimenter);
        writer.Bytes(Data.Span);
    }

    public bool Equals(MeterBandExperimenter? other) =>
        other is not null && base.Equals(other) && Experimenter == other.Experimenter && ValueEquality.Bytes(Data, other.Data);

    public override int GetHashCode() => HashCode.Combine(Rate, BurstSize, Experimenter, ValueEquality.BytesHash(Data));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Experimenter = 0x{Experimenter:x8}, ");
        RecordText.Bytes(builder, nameof(Data), Data);
        return true;
    }
}

/// <summary>A sequence of bands that exactly fills a known number of bytes.</summary>
public static class MeterBandList
{
    public static int Length(IReadOnlyList<MeterBand> bands)
    {
        int length = 0;
        for (int i = 0; i < bands.Count; i++)
        {
            length += bands[i].Length;
        }

        return length;
    }

    public static void Write(ref WireWriter writer, IReadOnlyList<MeterBand> bands)
    {
        for (int i = 0; i < bands.Count; i++)
        {
            bands[i].Write(ref writer);
        }
    }

    /// <summary>Reads bands until exactly <paramref name="length"/> bytes are consumed.</summary>
    public static IReadOnlyList<MeterBand> Read(ref WireReader reader, int length)
    {
        if (length < 0 || length > reader.Remaining)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadElementLength, $"meter bands of {length} bytes with {reader.Remaining} left");
        }

        WireReader list = reader.Sub(length, ProtocolErrorReason.BadElementLength);
        var bands = new List<MeterBand>();
        while (!list.End)
        {
            bands.Add(MeterBand.Read(ref list));
        }

        return bands;
    }
}
