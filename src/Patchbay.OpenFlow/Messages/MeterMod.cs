// OFPT_METER_MOD (spec 1.3.5, 7.3.4.5): command u16, flags u16, meter_id u32, then bands filling the
// rest of the message.
using System.Text;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_meter_mod_command.</summary>
public enum MeterModCommand : ushort
{
    Add = 0,
    Modify = 1,
    Delete = 2,
}

/// <summary>enum ofp_meter_flags.</summary>
[Flags]
public enum MeterFlags : ushort
{
    None = 0,
    Kbps = 1 << 0,
    Pktps = 1 << 1,
    Burst = 1 << 2,
    Stats = 1 << 3,
}

/// <summary>enum ofp_meter: reserved meter numbers.</summary>
public static class OfpMeterId
{
    /// <summary>Highest number of a real meter.</summary>
    public const uint Max = 0xffff0000;

    /// <summary>The meter for traffic to the controller on the slow path.</summary>
    public const uint Slowpath = 0xfffffffd;

    /// <summary>The meter for traffic sent to the controller.</summary>
    public const uint Controller = 0xfffffffe;

    /// <summary>Every meter (meter delete and stats requests).</summary>
    public const uint All = 0xffffffff;
}

public sealed record MeterMod(MeterModCommand Command, MeterFlags Flags, uint MeterId, IReadOnlyList<MeterBand> Bands) : OfpMessage
{
    /// <summary>The message without bands.</summary>
    public const int Size = 16;

    public override OfpType Type => OfpType.MeterMod;

    protected override int BodyLength => Size - OfpConstants.HeaderSize + MeterBandList.Length(Bands);

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U16((ushort)Command);
        writer.U16((ushort)Flags);
        writer.U32(MeterId);
        MeterBandList.Write(ref writer, Bands);
    }

    internal static MeterMod ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.AtLeast(header, Size);
        var command = (MeterModCommand)body.U16();
        var flags = (MeterFlags)body.U16();
        uint meterId = body.U32();
        return new MeterMod(command, flags, meterId, MeterBandList.Read(ref body, body.Remaining)) { Xid = header.Xid };
    }

    public bool Equals(MeterMod? other) =>
        other is not null
        && base.Equals(other)
        && Command == other.Command
        && Flags == other.Flags
        && MeterId == other.MeterId
        && ValueEquality.Lists(Bands, other.Bands);

    public override int GetHashCode() => HashCode.Combine(Command, Flags, MeterId, ValueEquality.ListHash(Bands));

    protected override bool PrintMembers(StringBuilder builder)
    {
        base.PrintMembers(builder);
        builder.Append($", Command = {Command}, Flags = {Flags}, MeterId = {MeterId}, ");
        RecordText.List(builder, nameof(Bands), Bands);
        return true;
    }
}
