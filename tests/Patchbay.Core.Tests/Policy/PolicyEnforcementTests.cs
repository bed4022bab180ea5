// The policy enforced at the granularity of its decision, over modelled switches loaded with what the
// controller plans for each first packet (TrafficScope.Enforcing, then PlanConversation or PlanDenial): a
// port-granular allow carries that port forward and only the replies from it back; another port, and a packet
// from another port of the server, reach the controller again (to be decided on their own); a denial drops
// at the source switch, where its drop flow counts what it dropped.
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.Core.Tests.Planning;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyEnforcementTests
{
    private const ushort ClientPort = 40000;

    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(1, tenant: "acme");
    private static readonly Endpoint Client = PlanningLab.Endpoint(1, H1, Net) with { Labels = new Dictionary<string, string> { ["app"] = "client" } };
    private static readonly Endpoint Server = PlanningLab.Endpoint(2, H2, Net) with { Labels = new Dictionary<string, string> { ["app"] = "web" } };

    // Within one network (default allow): ssh to the web group is denied, everything else allowed.
    private static readonly PolicyEngine NoSsh = PolicyLab.Compile(
        [Client, Server],
        [PolicyLab.Group("web", "acme", ("app", "web"))],
        [PolicyLab.Rule("no-ssh", "acme", "web", RuleDirection.Ingress, PolicyPeer.Tenant("acme"), PolicyAction.Deny, 1, PolicyProtocol.Tcp, PortRange.Single(22))]);

    private readonly PlannedFabric _lab = new(new FlowPlanner(new PlannerOptions()), [H1, H2], [Net], [Client, Server]);
    private ulong _nextId = 1;

    [Fact]
    public void FirstPacket_PortGranularAllow_DeliveredRewrittenAndTheReplyFromThatPortComesBack()
    {
        byte[] syn = Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn);

        (PolicyDecision decision, FabricDelivery delivery) = FirstPacket(NoSsh, Client, Server, syn);
        FabricDelivery reply = _lab.Fabric.Send(Server.Name, Tcp(Server, Client, 80, ClientPort, TcpFlags.Syn | TcpFlags.Ack));

        Assert.Equal((PolicyVerdict.Allow, PolicyGranularity.ProtocolPort), (decision.Verdict, decision.Granularity));
        Assert.Equal(Server.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Equal(syn, delivery.SingleArrival.Frame);
        SegmentFrame onWire = Assert.Single(delivery.Segment);
        Assert.True(EthernetFrame.TryParse(onWire.Frame, out EthernetFrame ethernet));
        Assert.Equal((NetworkHostMac.Of(H1, Net), H2.UplinkMac), (ethernet.Source, ethernet.Destination));
        Assert.Equal(Client.Name, reply.SingleArrival.Endpoint.Name);
        Assert.Empty(reply.PacketIns);
        Assert.Empty(_lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort, 80, TcpFlags.Ack)).PacketIns);
    }

    [Fact]
    public void FirstPacket_PortGranularAllow_OtherPortsOfThePairStillGoToTheController()
    {
        FirstPacket(NoSsh, Client, Server, Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn));

        FabricDelivery ssh = _lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort + 1, 22, TcpFlags.Syn));
        FabricDelivery otherPort = _lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort + 2, 81, TcpFlags.Syn));
        FabricDelivery unsolicited = _lab.Fabric.Send(Server.Name, Tcp(Server, Client, 8080, ClientPort, TcpFlags.Syn));

        foreach (FabricDelivery delivery in new[] { ssh, otherPort, unsolicited })
        {
            Assert.Empty(delivery.Arrivals);
            Assert.Equal(Tables.Egress, Assert.Single(delivery.PacketIns).PacketIn.TableId);
        }
    }

    [Fact]
    public void FirstPacket_PortDenied_DroppedAtTheSourceWhileTheAllowedPortStillFlows()
    {
        FirstPacket(NoSsh, Client, Server, Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn));
        byte[] ssh = Tcp(Client, Server, ClientPort + 1, 22, TcpFlags.Syn);

        (PolicyDecision decision, FabricDelivery first) = FirstPacket(NoSsh, Client, Server, ssh);
        FabricDelivery[] retries = [.. Enumerable.Range(0, 3).Select(_ => _lab.Fabric.Send(Client.Name, ssh))];
        FabricDelivery web = _lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort, 80, TcpFlags.Ack));

        Assert.Equal(("no-ssh", PolicyVerdict.Deny, PolicyGranularity.ProtocolPort), (decision.Rule?.Name, decision.Verdict, decision.Granularity));
        Assert.All([first, .. retries], d =>
        {
            Assert.Empty(d.Arrivals);
            Assert.Empty(d.PacketIns);
            Assert.Empty(d.Segment);
            Assert.Equal(H1.Name, Assert.Single(d.Drops).Host);
        });
        Assert.Equal(4UL, DenialFlow(H1).PacketCount);
        Assert.Equal(Server.Name, web.SingleArrival.Endpoint.Name);
    }

    [Fact]
    public void FirstPacket_PairDenied_DroppedAtTheSourceSwitchWithTheDropFlowCounting()
    {
        var split = new PairwiseConnection("split", "acme", ConnectionAction.Disconnect, ConnectionTarget.Endpoint(Client.Name), ConnectionTarget.Endpoint(Server.Name));
        PolicyEngine engine = PolicyLab.Compile([Client, Server], connections: [split]);

        (PolicyDecision decision, FabricDelivery first) = FirstPacket(engine, Client, Server, PlannedFabric.Echo(Client, Server));
        ulong before = DenialFlow(H1).PacketCount;
        FabricDelivery tcp = _lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort, 443, TcpFlags.Syn));
        FabricDelivery ping = _lab.Ping(Client, Server, 2);

        Assert.Equal((DecisionReason.Disconnected, PolicyGranularity.IpPair), (decision.Reason, decision.Granularity));
        Assert.All([first, tcp, ping], d =>
        {
            Assert.Empty(d.Arrivals);
            Assert.Empty(d.PacketIns);
            Assert.Equal(H1.Name, Assert.Single(d.Drops).Host);
        });
        Assert.Equal(before + 2, DenialFlow(H1).PacketCount);
        Assert.DoesNotContain(_lab.Fabric.Host(H2.Name).Switch.DumpFlows(), f => Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
    }

    [Fact]
    public void FirstPacket_AllowedOneWayOnly_NarrowedSoTheServerCannotStartItsOwnConnectionsBack()
    {
        // The web server may not open connections to the client; the client may reach it on any port.
        PolicyEngine engine = PolicyLab.Compile(
            [Client, Server],
            [PolicyLab.Group("client", "acme", ("app", "client"))],
            [PolicyLab.Rule("client-closed", "acme", "client", RuleDirection.Ingress, PolicyPeer.Tenant("acme"), PolicyAction.Deny, 1)]);
        byte[] syn = Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn);

        (PolicyDecision decision, FabricDelivery delivery) = FirstPacket(engine, Client, Server, syn);
        FabricDelivery reply = _lab.Fabric.Send(Server.Name, Tcp(Server, Client, 80, ClientPort, TcpFlags.Syn | TcpFlags.Ack));
        FabricDelivery ownConnection = _lab.Fabric.Send(Server.Name, Tcp(Server, Client, 50000, 22, TcpFlags.Syn));
        FabricDelivery ownPing = _lab.Ping(Server, Client);

        Assert.Equal((PolicyVerdict.Allow, PolicyGranularity.IpPair), (decision.Verdict, decision.Granularity));
        Assert.Equal(Server.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Equal(Client.Name, reply.SingleArrival.Endpoint.Name);
        Assert.Empty(ownConnection.Arrivals);
        Assert.Single(ownConnection.PacketIns);
        Assert.Empty(ownPing.Arrivals);
        Assert.Single(ownPing.PacketIns);
    }

    [Fact]
    public void FirstPacket_PingNarrowedToIcmp_EchoRepliesComeBackEchoRequestsDoNot()
    {
        PolicyEngine engine = PolicyLab.Compile(
            [Client, Server],
            [PolicyLab.Group("client", "acme", ("app", "client"))],
            [PolicyLab.Rule("client-closed", "acme", "client", RuleDirection.Ingress, PolicyPeer.Tenant("acme"), PolicyAction.Deny, 1)]);

        (_, FabricDelivery delivery) = FirstPacket(engine, Client, Server, PlannedFabric.Echo(Client, Server));
        byte[] pong = FrameBuilder.IcmpEcho(new FrameAddresses(Server.Mac, Client.Mac, Server.Ip, Client.Ip), 0x5042, 1, new byte[56], reply: true);
        FabricDelivery reply = _lab.Fabric.Send(Server.Name, pong);

        Assert.Equal(Server.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Equal(Client.Name, reply.SingleArrival.Endpoint.Name);
        Assert.Single(_lab.Ping(Server, Client).PacketIns);
    }

    [Fact]
    public void Expire_PortGranularConversationAndDenial_BothFlowsLeaveAndTheNextPacketIsDecidedAgain()
    {
        byte[] ssh = Tcp(Client, Server, ClientPort + 1, 22, TcpFlags.Syn);
        FirstPacket(NoSsh, Client, Server, Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn));
        FirstPacket(NoSsh, Client, Server, ssh);

        IReadOnlyList<(string Host, OpenFlow.Messages.FlowRemoved Notice)> removed = _lab.Fabric.Expire(TimeSpan.FromSeconds(_lab.Planner.Options.IdleTimeoutSeconds));

        (string host, OpenFlow.Messages.FlowRemoved denial) = Assert.Single(removed, r => r.Notice.Cookie == Cookies.Of(FlowKind.Conversation, 2));
        Assert.Equal((H1.Name, 1UL), (host, denial.PacketCount));
        Assert.Single(_lab.Fabric.Send(Client.Name, ssh).PacketIns);
        Assert.Single(_lab.Fabric.Send(Client.Name, Tcp(Client, Server, ClientPort, 80, TcpFlags.Syn)).PacketIns);
    }

    // The controller's first-packet path in miniature: the packet reaches the controller, the engine decides on
    // its protocol and port, the flows of the decision's scope are installed, and the packet is sent again.
    private (PolicyDecision Decision, FabricDelivery Delivery) FirstPacket(PolicyEngine engine, Endpoint from, Endpoint to, byte[] frame)
    {
        FabricPacketIn packetIn = Assert.Single(_lab.Fabric.Send(from.Name, frame).PacketIns);
        (byte protocol, ushort port) = Transport(packetIn.PacketIn.Frame);
        PolicyDecision decision = engine.Decide(from, to, protocol, port);
        TrafficScope scope = TrafficScope.Enforcing(engine, decision, from.Id, to.Id, protocol, port);
        if (decision.IsAllowed)
        {
            _lab.Converse(_nextId++, from, to, scope);
        }
        else
        {
            _lab.Fabric.Apply(from.Host, [_lab.Planner.PlanDenial(_nextId++, from, _lab.NetworkOf(from), to.Ip, scope)]);
        }

        return (decision, _lab.Fabric.Send(from.Name, frame));
    }

    private FlowEntry DenialFlow(Host host) =>
        Assert.Single(_lab.Fabric.Host(host.Name).Switch.DumpFlows(), f => DropReasons.Of(f.ToFlowStats()) == DropReasons.Denied);

    private static byte[] Tcp(Endpoint from, Endpoint to, ushort sourcePort, ushort destinationPort, TcpFlags flags) =>
        FrameBuilder.Tcp(new FrameAddresses(from.Mac, to.Mac, from.Ip, to.Ip), sourcePort, destinationPort, flags);

    internal static (byte Protocol, ushort Port) Transport(byte[] frame)
    {
        Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame ethernet));
        Assert.True(Ipv4View.TryParse(ethernet.Payload, out Ipv4View ip));
        return ip.Protocol switch
        {
            IpProtocol.Tcp when TcpView.TryParse(ip.Payload, out TcpView tcp) => (ip.Protocol, tcp.DestinationPort),
            IpProtocol.Udp when UdpView.TryParse(ip.Payload, out UdpView udp) => (ip.Protocol, udp.DestinationPort),
            _ => (ip.Protocol, 0),
        };
    }
}
