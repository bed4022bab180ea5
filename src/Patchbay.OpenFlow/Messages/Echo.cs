// OFPT_ECHO_REQUEST / OFPT_ECHO_REPLY (spec 1.3.5, 7.5.2-3): header plus arbitrary data echoed back.
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Messages;

public sealed record EchoRequest(ReadOnlyMemory<byte> Data) : OfpMessage
{
    public EchoRequest()
        : this(ReadOnlyMemory<byte>.Empty)
    {
    }

    public override OfpType Type => OfpType.EchoRequest;

    protected override int BodyLength => Data.Length;

    protected override void WriteBody(ref WireWriter writer) => writer.Bytes(Data.Span);

    internal static EchoRequest ReadBody(OfpHeader header, ref WireReader body) => new(body.RestArray()) { Xid = header.Xid };
}

public sealed record EchoReply(ReadOnlyMemory<byte> Data) : OfpMessage
{
    public EchoReply()
        : this(ReadOnlyMemory<byte>.Empty)
    {
    }

    public override OfpType Type => OfpType.EchoReply;

    protected override int BodyLength => Data.Length;

    protected override void WriteBody(ref WireWriter writer) => writer.Bytes(Data.Span);

    internal static EchoReply ReadBody(OfpHeader header, ref WireReader body) => new(body.RestArray()) { Xid = header.Xid };
}
