// The transport matches of protocol + port conversations (docs/pipeline.md): egress and ingress accept ip_proto,
// tcp/udp ports and the ICMP type, each only with its OpenFlow prerequisites in the same match.
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Pipeline;

public sealed class PatchbayPipelineL4Tests
{
    public static TheoryData<byte> ConversationTables() => [Tables.Egress, Tables.Ingress];

    [Theory]
    [MemberData(nameof(ConversationTables))]
    public void Validate_TransportMatchWithItsPrerequisites_Accepted(byte table)
    {
        PatchbayPipeline.Validate(Flow(table, Oxm.EthType(EtherType.Ipv4), Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpDst(80)));
        PatchbayPipeline.Validate(Flow(table, Oxm.EthType(EtherType.Ipv4), Oxm.IpProto(IpProtocol.Udp), Oxm.UdpSrc(53)));
        PatchbayPipeline.Validate(Flow(table, Oxm.EthType(EtherType.Ipv4), Oxm.IpProto(IpProtocol.Icmp), Oxm.Icmpv4Type(0)));
    }

    [Theory]
    [MemberData(nameof(ConversationTables))]
    public void Validate_PortWithoutOrWithTheWrongProtocol_RefusedNamingTheField(byte table)
    {
        var missing = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(Flow(table, Oxm.EthType(EtherType.Ipv4), Oxm.TcpDst(80))));
        var wrong = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(Flow(table, Oxm.EthType(EtherType.Ipv4), Oxm.IpProto(IpProtocol.Tcp), Oxm.UdpDst(53))));
        var noEthType = Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(Flow(table, Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpDst(80))));

        Assert.Contains("ip_proto=6", missing.Message, StringComparison.Ordinal);
        Assert.Contains("ip_proto=17", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("eth_type=0x0800", noEthType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TransportMatchInDeliver_Refused() =>
        Assert.Throws<PipelineViolationException>(() => PatchbayPipeline.Validate(Flow(Tables.Deliver, Oxm.EthType(EtherType.Ipv4), Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpDst(80))));

    private static FlowMod Flow(byte table, params OxmField[] match) => new()
    {
        Command = FlowModCommand.Add,
        TableId = table,
        Priority = Priorities.Forward,
        Match = new OfpMatch(match),
    };
}
