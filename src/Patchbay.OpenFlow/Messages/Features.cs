// OFPT_FEATURES_REQUEST (header only) and OFPT_FEATURES_REPLY (spec 1.3.5, 7.3.1):
// datapath_id u64, n_buffers u32, n_tables u8, auxiliary_id u8, pad[2], capabilities u32, reserved u32 = 32 bytes.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

/// <summary>enum ofp_capabilities.</summary>
[Flags]
public enum OfpCapabilities : uint
{
    None = 0,
    FlowStats = 1 << 0,
    TableStats = 1 << 1,
    PortStats = 1 << 2,
    GroupStats = 1 << 3,
    IpReasm = 1 << 5,
    QueueStats = 1 << 6,
    PortBlocked = 1 << 8,
}

public sealed record FeaturesRequest : OfpMessage
{
    public override OfpType Type => OfpType.FeaturesRequest;

    protected override int BodyLength => 0;

    protected override void WriteBody(ref WireWriter writer)
    {
    }

    internal static FeaturesRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        body.ExpectEnd(ProtocolErrorReason.BadLength, "features request");
        return new FeaturesRequest { Xid = header.Xid };
    }
}

public sealed record FeaturesReply(
    ulong DatapathId,
    uint NBuffers,
    byte NTables,
    byte AuxiliaryId,
    OfpCapabilities Capabilities,
    uint Reserved) : OfpMessage
{
    public const int Size = 32;

    public override OfpType Type => OfpType.FeaturesReply;

    protected override int BodyLength => Size - OfpConstants.HeaderSize;

    protected override void WriteBody(ref WireWriter writer)
    {
        writer.U64(DatapathId);
        writer.U32(NBuffers);
        writer.U8(NTables);
        writer.U8(AuxiliaryId);
        writer.Pad(2);
        writer.U32((uint)Capabilities);
        writer.U32(Reserved);
    }

    internal static FeaturesReply ReadBody(OfpHeader header, ref WireReader body)
    {
        if (header.Length != Size)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadLength, $"features reply is {Size} bytes, not {header.Length}");
        }

        ulong dpid = body.U64();
        uint buffers = body.U32();
        byte tables = body.U8();
        byte aux = body.U8();
        body.Pad(2);
        return new FeaturesReply(dpid, buffers, tables, aux, (OfpCapabilities)body.U32(), body.U32()) { Xid = header.Xid };
    }
}
