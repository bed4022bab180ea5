// OFPT_BARRIER_REQUEST / OFPT_BARRIER_REPLY (spec 1.3.5, 7.3.8): header only.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record BarrierRequest : OfpMessage
{
    public override OfpType Type => OfpType.BarrierRequest;

    protected override int BodyLength => 0;

    protected override void WriteBody(ref WireWriter writer)
    {
    }

    internal static BarrierRequest ReadBody(OfpHeader header, ref WireReader body)
    {
        body.ExpectEnd(ProtocolErrorReason.BadLength, "barrier request");
        return new BarrierRequest { Xid = header.Xid };
    }
}

public sealed record BarrierReply : OfpMessage
{
    public override OfpType Type => OfpType.BarrierReply;

    protected override int BodyLength => 0;

    protected override void WriteBody(ref WireWriter writer)
    {
    }

    internal static BarrierReply ReadBody(OfpHeader header, ref WireReader body)
    {
        body.ExpectEnd(ProtocolErrorReason.BadLength, "barrier reply");
        return new BarrierReply { Xid = header.Xid };
    }
}
