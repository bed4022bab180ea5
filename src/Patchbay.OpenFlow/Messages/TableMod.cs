// OFPT_TABLE_MOD (spec 1.3.5, 7.3.3): table_id u8, pad[3], config u32 = 16 bytes with the header.
// In 1.3 every config bit is deprecated (OFPTC_DEPRECATED_MASK = 3), so config stays a plain number.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_table: reserved table numbers.</summary>
public static class OfpTableId
{
    /// <summary>Highest number of a real table.</summary>
    public const byte Max = 0xfe;

    /// <summary>Every table (flow delete, table mod, flow stats requests).</summary>
    public const byte All = 0xff;
}

public sealed record TableMod(byte TableId, uint Config) : OfpMessage
{
    public const int Size = 16;

    public override OfpType Type => OfpType.TableMod;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U8(TableId);
        writer.Pad(3);
        writer.U32(Config);
    }

    internal static TableMod ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        byte tableId = body.U8();
        body.Pad(3);
        return new TableMod(tableId, body.U32()) { Xid = header.Xid };
    }
}
