// Plans the flows of the Patchbay pipeline (docs/pipeline.md): pure functions from the model to
// immutable flow-mods and meter-mods; the controller alone sends them (Faucet's valve.py returns
// ofmsgs, only faucet.py sends). Every flow it returns passes PatchbayPipeline.Validate: checked whole, or, for
// conversation flows, their match per flow and their shared instruction lists once, when built (CheckedInstructions).
using System.Diagnostics.CodeAnalysis;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Core.Planning;

// An instance, not static functions: the controller holds one planner configured from its command
// line, and the callers must not care which plans depend on the options.
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The planner's API is per instance: one configured planner per controller.")]
public sealed partial class FlowPlanner(PlannerOptions options)
{
    private static readonly CheckedInstructions ToDeliver = new(Tables.Egress, new OfpInstruction[] { new GotoTableInstruction(Tables.Deliver) });

    public PlannerOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The static flows of one host: the uplink rule and the explicit miss (drop) flow of every table.</summary>
    public IReadOnlyList<FlowMod> HostPipeline(Host host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Checked(
        [
            Pipeline(Tables.Classify, Priorities.Guard, PipelineFlowId.Uplink, [Oxm.InPort(host.UplinkPort), Oxm.EthDst(host.UplinkMac.ToBytes())], [new GotoTableInstruction(Tables.Ingress)]),
            Pipeline(Tables.Classify, Priorities.Miss, PipelineFlowId.ClassifyMiss, [], []),
            Pipeline(Tables.Arp, Priorities.Miss, PipelineFlowId.ArpMiss, [], []),
            Pipeline(Tables.Egress, Priorities.Miss, PipelineFlowId.EgressMiss, [], []),
            Pipeline(Tables.Ingress, Priorities.Miss, PipelineFlowId.IngressMiss, [], []),
            Pipeline(Tables.Deliver, Priorities.Miss, PipelineFlowId.DeliverMiss, [], []),
        ]);
    }

    /// <summary>
    /// An endpoint's flows on its host: port security and the network tag (table 0), ARP requests to the
    /// controller (10), the first packet of a new conversation to the controller (20), both through the
    /// port's meter, and delivery to the port (40). <see cref="Endpoint.OfPort"/> must be set.
    /// </summary>
    public IReadOnlyList<FlowMod> EndpointFlows(Host host, Endpoint endpoint, Network network)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(network);
        uint port = PortOf(endpoint);
        RequireOn(endpoint, host);
        RequireIn(endpoint, network);
        ulong cookie = Cookies.Of(FlowKind.Endpoint, endpoint.Id);
        OfpInstruction toController = new ApplyActionsInstruction([new OutputAction(OfpPortNo.Controller, OfpControllerMaxLen.NoBuffer)]);
        OfpInstruction tagNetwork = WriteNetwork(network);
        return Checked(
        [
            Static(Tables.Classify, Priorities.Endpoint, cookie, [Oxm.InPort(port), Oxm.EthSrc(endpoint.Mac.ToBytes()), EthTypeIpv4, Ipv4Src(endpoint.Ip)], [tagNetwork, new GotoTableInstruction(Tables.Egress)]),
            Static(Tables.Classify, Priorities.Endpoint, cookie, [Oxm.InPort(port), Oxm.EthSrc(endpoint.Mac.ToBytes()), Oxm.EthType(EtherType.Arp), Oxm.ArpSpa(endpoint.Ip.ToIPAddress()), Oxm.ArpSha(endpoint.Mac.ToBytes())], [tagNetwork, new GotoTableInstruction(Tables.Arp)]),
            Static(Tables.Classify, Priorities.Guard, cookie, [Oxm.InPort(port)], []),
            Static(Tables.Arp, Priorities.Forward, cookie, [Oxm.InPort(port), Oxm.EthType(EtherType.Arp), Oxm.ArpOp(ArpOperation.Request)], [new MeterInstruction(port), toController]),
            Static(Tables.Egress, Priorities.FirstPacket, cookie, [Oxm.InPort(port)], [new MeterInstruction(port), toController]),
            Static(Tables.Deliver, Priorities.Forward, cookie, [NetworkMatch(network), EthTypeIpv4, Ipv4Dst(endpoint.Ip)], [Apply(SetEthDst(endpoint.Mac), new OutputAction(port))]),
        ]);
    }

    /// <summary>The meter on an endpoint's controller-bound packets: meter id = its OpenFlow port, one drop band.</summary>
    public MeterMod EndpointMeter(Endpoint endpoint, MeterModCommand command)
    {
        uint port = PortOf(endpoint);
        if (port > OfpMeterId.Max)
        {
            throw new ArgumentOutOfRangeException(nameof(endpoint), port, "the port number is above the highest meter id");
        }

        IReadOnlyList<MeterBand> bands = command == MeterModCommand.Delete
            ? []
            : [new MeterBandDrop(Options.PacketInRatePps, Options.PacketInBurst)];
        return new MeterMod(command, MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, port, bands);
    }

    /// <summary>The meters a host should hold: one per plugged local endpoint.</summary>
    public IReadOnlyList<MeterMod> DesiredMeters(IEnumerable<Endpoint> localEndpoints)
    {
        ArgumentNullException.ThrowIfNull(localEndpoints);
        return [.. localEndpoints.Where(e => e.OfPort is not null).Select(e => EndpointMeter(e, MeterModCommand.Add))];
    }

    /// <summary>Deletes all of an endpoint's flows (every table) by its cookie.</summary>
    public FlowMod DeleteEndpointFlows(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return DeleteByCookie(Cookies.Of(FlowKind.Endpoint, endpoint.Id));
    }

    /// <summary>
    /// The flows of a conversation from <paramref name="source"/> to <paramref name="destination"/>, both
    /// directions. Cross-host (direct mode): each switch gets the egress flow of its endpoint's direction
    /// and the ingress flow of the other; same host: both egress flows, continuing in deliver. A
    /// <paramref name="scope"/> narrower than the IP pair adds ip_proto to every flow, and for TCP and UDP
    /// tp_dst=port to the forward direction's flows and tp_src=port to the reverse direction's (for ICMP the
    /// reverse direction carries echo replies only).
    /// </summary>
    public ConversationPlan PlanConversation(ulong conversationId, Endpoint source, Host sourceHost, Endpoint destination, Host destinationHost, Network network, TrafficScope scope = default)
    {
        ArgumentNullException.ThrowIfNull(sourceHost);
        ArgumentNullException.ThrowIfNull(destinationHost);
        ArgumentNullException.ThrowIfNull(network);
        RequireOn(source, sourceHost);
        RequireOn(destination, destinationHost);
        RequireIn(source, network);
        RequireIn(destination, network);
        if (source.Id == destination.Id)
        {
            throw new ArgumentException($"endpoint {source.Name} cannot converse with itself", nameof(destination));
        }

        ulong cookie = Cookies.Of(FlowKind.Conversation, conversationId);
        DataPathMode mode = ModeFor(sourceHost, destinationHost);
        EndpointParts from = PartsOf(source, network);
        EndpointParts to = PartsOf(destination, network);
        ScopeParts scoped = PartsOf(scope);
        if (sourceHost.Name == destinationHost.Name)
        {
            FlowMod[] local = [LocalEgress(cookie, from, to, scoped.Forward), LocalEgress(cookie, to, from, scoped.Reverse)];
            return new ConversationPlan(cookie, mode, [], local);
        }

        // Arrays, not collection expressions typed as the plan's IReadOnlyList (a wrapper object more per list).
        LinkParts forward = PartsOf(network, sourceHost, destinationHost);
        LinkParts reverse = PartsOf(network, destinationHost, sourceHost);
        FlowMod[] onDestination = [Ingress(cookie, forward, from, to, scoped.Forward), RemoteEgress(cookie, reverse, to, from, scoped.Reverse)];
        FlowMod[] onSource = [RemoteEgress(cookie, forward, from, to, scoped.Forward), Ingress(cookie, reverse, to, from, scoped.Reverse)];
        return new ConversationPlan(cookie, mode, onDestination, onSource);
    }

    /// <summary>
    /// The data-path mode of a conversation between endpoints of these hosts, as <see cref="PlanConversation"/>
    /// would plan it, without planning its flows.
    /// </summary>
    /// <exception cref="NotSupportedException">The hosts are on different segments: no mode connects them yet.</exception>
    public static DataPathMode ModeFor(Host sourceHost, Host destinationHost)
    {
        ArgumentNullException.ThrowIfNull(sourceHost);
        ArgumentNullException.ThrowIfNull(destinationHost);
        if (sourceHost.Name != destinationHost.Name && sourceHost.Segment != destinationHost.Segment)
        {
            throw new NotSupportedException($"hosts {sourceHost.Name} ({sourceHost.Segment}) and {destinationHost.Name} ({destinationHost.Segment}) are on different segments; only direct mode (one L2 segment) is planned");
        }

        return DataPathMode.Direct;
    }

    /// <summary>
    /// A short-lived drop flow on the source switch for a first packet the controller will not route
    /// (no such destination, or denied), so a flood to it stops at the switch instead of the controller.
    /// It carries a conversation cookie, so the record that explains it can be revoked like any other,
    /// expires after the idle timeout (hard timeout), and SEND_FLOW_REM brings its counters back as the
    /// denial's drop count. A <paramref name="scope"/> narrower than the IP pair drops only that protocol and
    /// destination port, so the pair's other traffic still reaches the controller to be decided.
    /// </summary>
    public FlowMod PlanDenial(ulong conversationId, Endpoint source, Network network, Ipv4Address destination, TrafficScope scope = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(source);
        RequireIn(source, network);
        EndpointParts from = PartsOf(source, network);
        var flow = new FlowMod
        {
            Command = FlowModCommand.Add,
            TableId = Tables.Egress,
            Priority = Priorities.Forward,
            Cookie = Cookies.Of(FlowKind.Conversation, conversationId),
            HardTimeout = Options.IdleTimeoutSeconds,
            Flags = FlowModFlags.SendFlowRem,
            Match = new OfpMatch(Fields(PartsOf(scope).Forward, from.NetworkMatch, EthTypeIpv4, from.Ipv4Src, DeniedDestination(destination))),
        };
        PatchbayPipeline.Validate(flow);
        return flow;
    }

    /// <summary>Deletes a conversation's flows (every table) on one switch by its exact cookie.</summary>
    public FlowMod DeleteConversation(ulong cookie)
    {
        if (Cookies.KindOf(cookie) != FlowKind.Conversation)
        {
            throw new ArgumentException($"cookie 0x{cookie:x16} is not a conversation's", nameof(cookie));
        }

        return DeleteByCookie(cookie);
    }

    /// <summary>
    /// Everything but conversations that a host's switch should hold: the host pipeline and the flows of
    /// every local endpoint that is plugged (endpoints without a port yet have no flows).
    /// </summary>
    public IReadOnlyList<FlowMod> DesiredStaticFlows(Host host, IEnumerable<(Endpoint Endpoint, Network Network)> localEndpoints)
    {
        ArgumentNullException.ThrowIfNull(localEndpoints);
        var flows = new List<FlowMod>(HostPipeline(host));
        foreach ((Endpoint endpoint, Network network) in localEndpoints)
        {
            if (endpoint.OfPort is not null)
            {
                flows.AddRange(EndpointFlows(host, endpoint, network));
            }
        }

        return flows;
    }

    // Cross-host, on the source's host: the source MAC becomes the (source host, network) MAC, the
    // destination MAC the destination host's uplink MAC (the link's egress instructions); container IPs stay.
    private FlowMod RemoteEgress(ulong cookie, LinkParts link, EndpointParts from, EndpointParts to, OxmField[] l4) =>
        Conversation(Tables.Egress, cookie, Fields(l4, from.NetworkMatch, EthTypeIpv4, from.Ipv4Src, to.Ipv4Dst), link.EgressInstructions);

    // Cross-host, on the destination's host: only frames from the (source host, network) MAC with this IP
    // pair, so another network's identical pair between the same hosts never matches; the network tag and
    // the source container's MAC are restored (the source's ingress instructions), deliver sets the destination's.
    private FlowMod Ingress(ulong cookie, LinkParts link, EndpointParts from, EndpointParts to, OxmField[] l4) =>
        Conversation(Tables.Ingress, cookie, Fields(l4, link.InPort, link.EthSrc, EthTypeIpv4, from.Ipv4Src, to.Ipv4Dst), from.IngressInstructions);

    // Same host: the packet keeps its source MAC and continues in deliver.
    private FlowMod LocalEgress(ulong cookie, EndpointParts from, EndpointParts to, OxmField[] l4) =>
        Conversation(Tables.Egress, cookie, Fields(l4, from.NetworkMatch, EthTypeIpv4, from.Ipv4Src, to.Ipv4Dst), ToDeliver);

    // The instructions were checked for their table when they were built; the flow's match is checked here.
    private FlowMod Conversation(byte table, ulong cookie, OxmField[] match, CheckedInstructions instructions)
    {
        var flow = new FlowMod
        {
            Command = FlowModCommand.Add,
            TableId = table,
            Priority = Priorities.Forward,
            Cookie = cookie,
            IdleTimeout = Options.IdleTimeoutSeconds,
            Flags = FlowModFlags.SendFlowRem,
            Match = new OfpMatch(match),
            Instructions = instructions.List,
        };
        PatchbayPipeline.Validate(flow, instructions);
        return flow;
    }

    private static FlowMod Pipeline(byte table, ushort priority, PipelineFlowId id, OxmField[] match, OfpInstruction[] instructions) =>
        Static(table, priority, Cookies.Of(FlowKind.Pipeline, (ulong)id), match, instructions);

    // Instructions are listed in the order OVS reports them (meter, apply_actions, write_metadata,
    // goto_table), so a flow read back from the switch equals the planned one.
    private static FlowMod Static(byte table, ushort priority, ulong cookie, OxmField[] match, OfpInstruction[] instructions) => new()
    {
        Command = FlowModCommand.Add,
        TableId = table,
        Priority = priority,
        Cookie = cookie,
        Match = new OfpMatch(match),
        Instructions = instructions,
    };

    private static FlowMod DeleteByCookie(ulong cookie) => new()
    {
        Command = FlowModCommand.Delete,
        TableId = OfpTableId.All,
        Cookie = cookie,
        CookieMask = Cookies.ExactMask,
    };

    private static FlowMod[] Checked(FlowMod[] flows)
    {
        foreach (FlowMod flow in flows)
        {
            PatchbayPipeline.Validate(flow);
        }

        return flows;
    }

    // Immutable, so one instance serves every flow.
    private static readonly OxmField EthTypeIpv4 = Oxm.EthType(EtherType.Ipv4);

    private static WriteMetadataInstruction WriteNetwork(Network network) => new(network.Id, PatchbayPipeline.NetworkMetadataMask);

    private static OxmField NetworkMatch(Network network) => Oxm.Metadata(network.Id, PatchbayPipeline.NetworkMetadataMask);

    private static OxmField Ipv4Src(Ipv4Address address) => Oxm.Ipv4Src(address.Value);

    private static OxmField Ipv4Dst(Ipv4Address address) => Oxm.Ipv4Dst(address.Value);

    // A match's fields followed by the scope's (protocol, port): one exact-size array, no list in between.
    private static OxmField[] Fields(OxmField[] scope, params ReadOnlySpan<OxmField> fields)
    {
        var all = new OxmField[fields.Length + scope.Length];
        fields.CopyTo(all);
        scope.CopyTo(all, fields.Length);
        return all;
    }

    private static SetFieldAction SetEthSrc(MacAddress mac) => new(Oxm.EthSrc(mac.ToBytes()));

    private static SetFieldAction SetEthDst(MacAddress mac) => new(Oxm.EthDst(mac.ToBytes()));

    private static ApplyActionsInstruction Apply(params OfpAction[] actions) => new(actions);

    private static uint PortOf(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.OfPort ?? throw new ArgumentException($"endpoint {endpoint.Name} has no OpenFlow port yet (not plugged)", nameof(endpoint));
    }

    private static void RequireOn(Endpoint endpoint, Host host)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Host != host.Name)
        {
            throw new ArgumentException($"endpoint {endpoint.Name} is on host {endpoint.Host}, not {host.Name}", nameof(host));
        }
    }

    private static void RequireIn(Endpoint endpoint, Network network)
    {
        if (endpoint.Network != network.Name)
        {
            throw new ArgumentException($"endpoint {endpoint.Name} is in network {endpoint.Network}, not {network.Name}", nameof(network));
        }
    }
}
