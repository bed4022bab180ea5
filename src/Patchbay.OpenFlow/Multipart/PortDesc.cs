// OFPMP_PORT_DESC (spec 1.3.5, 7.3.5.7): empty request; reply is a list of struct ofp_port (64 bytes each).
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Wire;

namespace Patchbay.OpenFlow.Multipart;

public sealed record PortDescRequest : MultipartRequest
{
    public override MultipartType MultipartType => MultipartType.PortDesc;

    public override int PayloadLength => 0;

    protected override void WritePayload(ref WireWriter writer)
    {
    }

    internal static PortDescRequest ReadPayload(ref WireReader payload)
    {
        MultipartBody.ExpectEmpty(ref payload, MultipartType.PortDesc);
        return new PortDescRequest();
    }
}

public sealed record PortDescReply(IReadOnlyList<PortDescription> Entries) : MultipartListReply<PortDescription>(Entries)
{
    public override MultipartType MultipartType => MultipartType.PortDesc;

    private protected override int EntryLength(PortDescription entry) => PortDescription.Size;

    private protected override void WriteEntry(ref WireWriter writer, PortDescription entry) => entry.Write(ref writer);

    internal static PortDescReply ReadPayload(ref WireReader payload)
    {
        if (payload.Remaining % PortDescription.Size != 0)
        {
            OpenFlowProtocolException.Throw(ProtocolErrorReason.BadMultipartBody, $"port desc body of {payload.Remaining} bytes is not a whole number of {PortDescription.Size}-byte ofp_port");
        }

        var ports = new List<PortDescription>(payload.Remaining / PortDescription.Size);
        while (!payload.End)
        {
            ports.Add(PortDescription.Read(ref payload));
        }

        return new PortDescReply(ports);
    }
}
