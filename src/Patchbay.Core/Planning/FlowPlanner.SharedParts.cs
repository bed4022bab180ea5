// The pieces conversation flows share (SharedParts), grouped by what they depend on: an endpoint (its address
// fields, its network's match and the instructions that restore it on arrival), a link (the pair of hosts a
// network's frames cross, with the egress rewrite on one and the ingress match on the other) and a traffic
// scope (the protocol and port fields of each direction). Planning a cross-host conversation looks up four (five
// with a protocol + port scope).
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.Packets;

namespace Patchbay.Core.Planning;

public sealed partial class FlowPlanner
{
    // RFC 792: the ICMP type of an echo reply.
    private const byte IcmpEchoReply = 0;

    // Entries per cache: endpoints, links and denied destinations in use; scopes are (protocol, port) pairs in use.
    private const int SharedPartsCapacity = 1 << 16;

    private static readonly ScopeParts IpPair = new([], []);

    private readonly SharedParts<EndpointKey, EndpointParts> _endpoints = new(SharedPartsCapacity, static key => EndpointParts.Of(key));

    private readonly SharedParts<LinkKey, LinkParts> _links = new(SharedPartsCapacity, static key => LinkParts.Of(key));

    private readonly SharedParts<TrafficScope, ScopeParts> _scopes = new(SharedPartsCapacity, static scope => new ScopeParts(ForwardOf(scope), ReverseOf(scope)));

    private readonly SharedParts<uint, OxmField> _deniedDestinations = new(SharedPartsCapacity, static address => Oxm.Ipv4Dst(address));

    private EndpointParts PartsOf(Endpoint endpoint, Network network) =>
        _endpoints.Get(new EndpointKey(endpoint.Ip.Value, endpoint.Mac.Value, network.Id));

    // The link that carries the network's frames from one host to the other.
    private LinkParts PartsOf(Network network, Host from, Host to) =>
        _links.Get(new LinkKey(NetworkHostMac.Of(from, network).Value, to.UplinkMac.Value, from.UplinkPort, to.UplinkPort));

    private ScopeParts PartsOf(TrafficScope scope) => scope.IsIpPair ? IpPair : _scopes.Get(scope);

    private OxmField DeniedDestination(Ipv4Address address) => _deniedDestinations.Get(address.Value);

    // The forward direction of a scoped conversation: the protocol, and for TCP/UDP the destination port.
    private static OxmField[] ForwardOf(TrafficScope scope) => scope switch
    {
        { IsIpPair: true } => [],
        { IpProtocol: IpProtocol.Tcp } => [Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpDst(scope.DestinationPort)],
        { IpProtocol: IpProtocol.Udp } => [Oxm.IpProto(IpProtocol.Udp), Oxm.UdpDst(scope.DestinationPort)],
        _ => [Oxm.IpProto(scope.IpProtocol)],
    };

    // The reverse direction carries only the replies of that connection: from the port, not to it; for ICMP the
    // echo replies, so the destination cannot start pings of its own through it (those are decided on their own).
    private static OxmField[] ReverseOf(TrafficScope scope) => scope switch
    {
        { IsIpPair: true } => [],
        { IpProtocol: IpProtocol.Tcp } => [Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpSrc(scope.DestinationPort)],
        { IpProtocol: IpProtocol.Udp } => [Oxm.IpProto(IpProtocol.Udp), Oxm.UdpSrc(scope.DestinationPort)],
        { IpProtocol: IpProtocol.Icmp } => [Oxm.IpProto(IpProtocol.Icmp), Oxm.Icmpv4Type(IcmpEchoReply)],
        _ => [Oxm.IpProto(scope.IpProtocol)],
    };

    private readonly record struct EndpointKey(uint Ip, ulong Mac, uint NetworkId);

    // An endpoint's match fields as source and as destination, its network's match, and what the ingress flows of
    // its conversations do on arrival: restore its MAC as the source, tag its network, continue in deliver.
    private sealed record EndpointParts(OxmField NetworkMatch, OxmField Ipv4Src, OxmField Ipv4Dst, CheckedInstructions IngressInstructions)
    {
        public static EndpointParts Of(EndpointKey key) => new(
            Oxm.Metadata(key.NetworkId, PatchbayPipeline.NetworkMetadataMask),
            Oxm.Ipv4Src(key.Ip),
            Oxm.Ipv4Dst(key.Ip),
            new CheckedInstructions(
                Tables.Ingress,
                new OfpInstruction[] { Apply(SetEthSrc(new MacAddress(key.Mac))), new WriteMetadataInstruction(key.NetworkId, PatchbayPipeline.NetworkMetadataMask), new GotoTableInstruction(Tables.Deliver) }));
    }

    /// <param name="NetworkHostMac">The (source host, network) MAC the frames leave with.</param>
    private readonly record struct LinkKey(ulong NetworkHostMac, ulong DestinationUplinkMac, uint SourceUplinkPort, uint DestinationUplinkPort);

    // On the source host, the egress rewrite: source MAC to the (source host, network) MAC, destination MAC to the
    // destination host's uplink MAC, out of the uplink. On the destination host, what its ingress flows match the
    // frames by: arriving on its uplink from that (source host, network) MAC.
    private sealed record LinkParts(CheckedInstructions EgressInstructions, OxmField InPort, OxmField EthSrc)
    {
        public static LinkParts Of(LinkKey key) => new(
            new CheckedInstructions(
                Tables.Egress,
                new OfpInstruction[] { Apply(SetEthSrc(new MacAddress(key.NetworkHostMac)), SetEthDst(new MacAddress(key.DestinationUplinkMac)), new OutputAction(key.SourceUplinkPort)) }),
            Oxm.InPort(key.DestinationUplinkPort),
            Oxm.EthSrc(new MacAddress(key.NetworkHostMac).ToBytes()));
    }

    private sealed record ScopeParts(OxmField[] Forward, OxmField[] Reverse);
}
