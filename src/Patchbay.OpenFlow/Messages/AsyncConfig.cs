// OFPT_GET_ASYNC_REQUEST (header only), OFPT_GET_ASYNC_REPLY and OFPT_SET_ASYNC (spec 1.3.5, 7.3.10):
// struct ofp_async_config is packet_in_mask[2], port_status_mask[2], flow_removed_mask[2], each u32,
// = 32 bytes with the header. Element 0 applies in the master/equal role, element 1 in the slave role;
// bit N set = reason N is sent.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record AsyncConfig(
    uint PacketInMaskMaster,
    uint PacketInMaskSlave,
    uint PortStatusMaskMaster,
    uint PortStatusMaskSlave,
    uint FlowRemovedMaskMaster,
    uint FlowRemovedMaskSlave)
{
    /// <summary>The body after ofp_header.</summary>
    public const int BodySize = 24;

    public void Write(ref WireWriter writer)
    {
        writer.U32(PacketInMaskMaster);
        writer.U32(PacketInMaskSlave);
        writer.U32(PortStatusMaskMaster);
        writer.U32(PortStatusMaskSlave);
        writer.U32(FlowRemovedMaskMaster);
        writer.U32(FlowRemovedMaskSlave);
    }

    public static AsyncConfig Read(ref WireReader reader) =>
        new(reader.U32(), reader.U32(), reader.U32(), reader.U32(), reader.U32(), reader.U32());
}

public sealed record GetAsyncRequest : OfpMessage
{
    public override OfpType Type => OfpType.GetAsyncRequest;

    protected override int BodyLength => 0;

    protected override void WriteBody(ref WireWriter writer)
    {
    }

    internal static GetAsyncRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        body.ExpectEnd(ProtocolErrorReason.BadLength, "get async request");
        return new GetAsyncRequest { Xid = header.Xid };
    }
}

public sealed record GetAsyncReply(AsyncConfig Config) : OfpMessage
{
    public const int Size = OfpConstants.HeaderSize + AsyncConfig.BodySize;

    public override OfpType Type => OfpType.GetAsyncReply;

    protected override int BodyLength => AsyncConfig.BodySize;

    protected override void WriteBody(ref WireWriter writer) => Config.Write(ref writer);

    internal static GetAsyncReply ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        return new GetAsyncReply(AsyncConfig.Read(ref body)) { Xid = header.Xid };
    }
}

public sealed record SetAsync(AsyncConfig Config) : OfpMessage
{
    public const int Size = OfpConstants.HeaderSize + AsyncConfig.BodySize;

    public override OfpType Type => OfpType.SetAsync;

    protected override int BodyLength => AsyncConfig.BodySize;

    protected override void WriteBody(ref WireWriter writer) => Config.Write(ref writer);

    internal static SetAsync ReadBody(OfpHeader header, ref WireReader body)
    {
        MessageLength.Exact(header, Size);
        return new SetAsync(AsyncConfig.Read(ref body)) { Xid = header.Xid };
    }
}
