// PACKET_IN from the pipeline: an ARP request (table 10) is answered with a PACKET_OUT carrying the MAC the
// requester should use, never flooded; a first packet (table 20) is resolved to its source endpoint (by
// switch and port) and destination (by network and address), its protocol and ports are read, and the policy
// engine decides it (docs/policy.md, "Enforcement") before it is handed to the conversation tracker, which
// sets up an allowed one and installs a denied one's drop flow. Anything the controller refuses is counted as
// a drop by reason, and recorded in the recent drops with the rule that decided.
using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.State;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.OpenFlow;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Switching;

public sealed class FirstPacketHandler(
    IControllerState state,
    IPolicyState policy,
    RecentDrops drops,
    SwitchRegistry switches,
    ConversationTracker conversations,
    ILogger<FirstPacketHandler> logger)
{
    /// <summary>An ARP request for an address that is neither an endpoint of the requester's network nor its gateway.</summary>
    public const string ArpUnknownTarget = "arp-unknown-target";

    /// <summary>A first packet to an address that no reachable endpoint of the source's network has.</summary>
    public const string NoRoute = "no-route";

    /// <summary>
    /// A first packet to an endpoint of another network of the same tenant that the policy allows: routing between
    /// networks comes later, so it is dropped all the same (a denied one is a policy drop with its rule).
    /// </summary>
    public const string NotAllowedYet = "not-allowed-yet";

    /// <summary>The recent-drops protocol of a packet: "tcp/80", "udp/53", "icmp", "proto 47".</summary>
    public static string ProtocolOf(byte ipProtocol, ushort destinationPort) => ipProtocol == 0
        ? "ip"
        : TrafficScope.Of(ipProtocol, destinationPort).ToString();

    /// <summary>The recent-drops reason of a policy decision: "rule", "disconnected", "other-tenant", "other-network", ...</summary>
    public static string ReasonOf(DecisionReason reason) => reason switch
    {
        DecisionReason.SameNetwork => "same-network",
        DecisionReason.OtherNetwork => "other-network",
        DecisionReason.OtherTenant => "other-tenant",
        DecisionReason.Rule => "rule",
        DecisionReason.Connected => "connected",
        DecisionReason.Disconnected => "disconnected",
        DecisionReason.UnknownEndpoint => "unknown-endpoint",
        _ => reason.ToString(),
    };

    /// <summary>Handles one PACKET_IN. Conversation setups run on their own, so the switch's next message is not held up.</summary>
    public ValueTask OnPacketInAsync(SwitchContext context, PacketIn packetIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(packetIn);
        if (context.ConfiguredHost is not string hostName || !TryGetInPort(packetIn.Match, out uint inPort))
        {
            return ValueTask.CompletedTask;
        }

        Endpoint? source = state.FindEndpointByPort(hostName, inPort);
        Network? network = source is null ? null : state.FindNetwork(source.Network);
        if (source is null || network is null)
        {
            ControllerLog.PacketInFromUnknownPort(logger, context.DatapathId, packetIn.TableId, inPort);
            return ValueTask.CompletedTask;
        }

        return packetIn.TableId switch
        {
            Tables.Arp => AnswerArpAsync(context, inPort, packetIn.Data, source, network, cancellationToken),
            Tables.Egress => StartConversation(context, inPort, packetIn, source, network, cancellationToken),
            _ => ValueTask.CompletedTask,
        };
    }

    private ValueTask AnswerArpAsync(SwitchContext context, uint inPort, ReadOnlyMemory<byte> frame, Endpoint source, Network network, CancellationToken cancellationToken)
    {
        if (!ArpView.TryParseFrame(frame.Span, out _, out ArpView request) || !request.IsRequest)
        {
            return ValueTask.CompletedTask;
        }

        Ipv4Address target = request.TargetIp;
        MacAddress? answer = target == network.Gateway
            ? network.GatewayMac
            : target == source.Ip ? null : state.FindEndpointByIp(network.Name, target)?.Mac;
        if (answer is not MacAddress mac)
        {
            state.CountDrop(source.Host, ArpUnknownTarget, (ulong)frame.Length);
            drops.Record(new RecentDropKey(source.Name, target.ToString(), "arp", ArpUnknownTarget, null), source.Host, network.Tenant, 1);
            ControllerLog.FirstPacketDropped(logger, source.Host, ArpUnknownTarget, $"{source.Name} asked for {target}");
            return ValueTask.CompletedTask;
        }

        byte[] reply = ArpPacket.BuildReply(frame.Span, mac);
        ControllerLog.ArpAnswered(logger, source.Name, target.ToString(), mac.ToString());
        return context.Session.SendAsync(new PacketOut(OfpConstants.NoBuffer, OfpPortNo.Controller, [new OutputAction(inPort)], reply), cancellationToken);
    }

    private ValueTask StartConversation(SwitchContext context, uint inPort, PacketIn packetIn, Endpoint source, Network network, CancellationToken cancellationToken)
    {
        if (!TryReadIpv4(packetIn.Data.Span, out Ipv4Address target, out byte protocol, out ushort destinationPort))
        {
            return ValueTask.CompletedTask;
        }

        Host? sourceHost = state.FindHost(source.Host);
        Endpoint? destination = state.FindEndpointByIp(network.Name, target);
        if (destination is null)
        {
            return ToOtherNetwork(context, inPort, packetIn, source, sourceHost, network, target, protocol, destinationPort, cancellationToken);
        }

        if (destination.Id == source.Id || sourceHost is null)
        {
            return Refuse(source, network, target.ToString(), protocol, destinationPort, NoRoute, null, packetIn, Unreachable(source, target, destination));
        }

        // One engine per packet: a policy change mid-decision cannot mix two versions.
        PolicyEngine engine = policy.CurrentPolicy;
        PolicyDecision decision = engine.Decide(source.Id, destination.Id, protocol, destinationPort);
        Host? destinationHost = state.FindHost(destination.Host);
        if (decision.IsAllowed && (destination.OfPort is null || destinationHost is null || switches.ReadyFor(destinationHost.Name) is null))
        {
            return Refuse(source, network, destination.Name, protocol, destinationPort, NoRoute, null, packetIn, Unreachable(source, target, destination));
        }

        TrafficScope scope = TrafficScope.Enforcing(engine, decision, source.Id, destination.Id, protocol, destinationPort);
        var packet = new FirstPacket(context, inPort, packetIn.BufferId, packetIn.Data, network, source, sourceHost, destination, destinationHost, target, protocol, destinationPort, decision, scope);
        StartSetup(packet, cancellationToken);
        return ValueTask.CompletedTask;
    }

    // No endpoint of the source's network has the address. Another network of the tenant may: the policy decides
    // there too; a deny is enforced like any denial, an allow is still dropped (no routing between networks yet).
    private ValueTask ToOtherNetwork(
        SwitchContext context,
        uint inPort,
        PacketIn packetIn,
        Endpoint source,
        Host? sourceHost,
        Network network,
        Ipv4Address target,
        byte protocol,
        ushort destinationPort,
        CancellationToken cancellationToken)
    {
        Endpoint? other = OtherNetworkEndpoint(network, target);
        if (other is null || sourceHost is null)
        {
            return Refuse(source, network, target.ToString(), protocol, destinationPort, NoRoute, null, packetIn, Unreachable(source, target, null));
        }

        PolicyEngine engine = policy.CurrentPolicy;
        PolicyDecision decision = engine.Decide(source.Id, other.Id, protocol, destinationPort);
        if (decision.IsAllowed)
        {
            string detail = $"{source.Name} sent to {other.Name} in network {other.Network}; the policy allows it ({decision}) but networks are not routed yet";
            return Refuse(source, network, other.Name, protocol, destinationPort, NotAllowedYet, decision.Rule?.Name ?? decision.Connection?.Name, packetIn, detail);
        }

        TrafficScope scope = TrafficScope.Enforcing(engine, decision, source.Id, other.Id, protocol, destinationPort);
        var packet = new FirstPacket(context, inPort, packetIn.BufferId, packetIn.Data, network, source, sourceHost, other, null, target, protocol, destinationPort, decision, scope);
        StartSetup(packet, cancellationToken);
        return ValueTask.CompletedTask;
    }

    private ValueTask Refuse(Endpoint source, Network network, string destination, byte protocol, ushort destinationPort, string reason, string? rule, PacketIn packetIn, string detail)
    {
        state.CountDrop(source.Host, reason, (ulong)packetIn.Data.Length);
        drops.Record(new RecentDropKey(source.Name, destination, ProtocolOf(protocol, destinationPort), reason, rule), source.Host, network.Tenant, 1);
        ControllerLog.FirstPacketDropped(logger, source.Host, reason, detail);
        return ValueTask.CompletedTask;
    }

    // Started inline, not queued: the setup leaves the switch's dispatch loop at its first wait (the destination
    // switch's barrier), so the next PACKET_IN is not held up while it waits, and no thread-pool hop is spent on it.
    // Not awaited: the tracker's task never faults (it logs its own failures); only what it throws before it returns
    // is caught here.
    private void StartSetup(FirstPacket packet, CancellationToken cancellationToken)
    {
        try
        {
            _ = conversations.HandleFirstPacketAsync(packet, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ControllerLog.PacketInFailed(logger, packet.SourceSwitch.DatapathId, e);
        }
    }

    private Endpoint? OtherNetworkEndpoint(Network network, Ipv4Address target) =>
        state.Networks()
            .Where(n => n.Tenant == network.Tenant && n.Id != network.Id)
            .Select(n => state.FindEndpointByIp(n.Name, target))
            .FirstOrDefault(e => e is not null);

    private static string Unreachable(Endpoint source, Ipv4Address target, Endpoint? destination) => destination switch
    {
        null => $"{source.Name} sent to {target}, which no endpoint of network {source.Network} has",
        { } d when d.Id == source.Id => $"{source.Name} sent to its own address",
        { OfPort: null } d => $"{source.Name} sent to {d.Name}, which is not plugged yet",
        { } d => $"{source.Name} sent to {d.Name}, whose host {d.Host} is not connected",
    };

    private static bool TryGetInPort(OfpMatch match, out uint port)
    {
        if (match.Find(OxmBasicField.InPort) is { Value.Length: 4 } field)
        {
            port = BinaryPrimitives.ReadUInt32BigEndian(field.Value.Span);
            return true;
        }

        port = 0;
        return false;
    }

    // The destination, protocol and (TCP, UDP: of a first fragment) destination port; other protocols get port 0.
    private static bool TryReadIpv4(ReadOnlySpan<byte> frame, out Ipv4Address destination, out byte protocol, out ushort destinationPort)
    {
        destination = default;
        protocol = 0;
        destinationPort = 0;
        if (!EthernetFrame.TryParse(frame, out EthernetFrame ethernet) || ethernet.EtherType != EtherType.Ipv4
            || !Ipv4View.TryParse(ethernet.Payload, out Ipv4View ipv4))
        {
            return false;
        }

        destination = ipv4.Destination;
        protocol = ipv4.Protocol;
        if (protocol is IpProtocol.Tcp && ipv4.FragmentOffset == 0 && TcpView.TryParse(ipv4.Payload, out TcpView tcp))
        {
            destinationPort = tcp.DestinationPort;
        }
        else if (protocol is IpProtocol.Udp && ipv4.FragmentOffset == 0 && UdpView.TryParse(ipv4.Payload, out UdpView udp))
        {
            destinationPort = udp.DestinationPort;
        }

        return true;
    }
}
