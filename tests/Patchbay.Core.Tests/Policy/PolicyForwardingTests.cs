// The engine's decisions enforced as the controller will: the first packet reaches the controller, the
// engine decides, an allowed conversation gets the planner's flows (destination switch first) and a
// denied one the planner's drop flow; then the packet is sent again and the modelled switches show
// where it arrives, rewritten how (the underlay MACs are the planner's; only the IP packet is asserted
// unchanged on the wire), or that it is dropped. Flows follow the decision's scope (TrafficScope.Enforcing);
// PolicyEnforcementTests covers what protocol + port flows carry and refuse.
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Tests.Planning;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Policy;

public sealed class PolicyForwardingTests
{
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(1, tenant: "acme");
    private static readonly Endpoint Web = PlanningLab.Endpoint(1, H1, Net) with { Labels = new Dictionary<string, string> { ["app"] = "web" } };
    private static readonly Endpoint Db = PlanningLab.Endpoint(2, H2, Net) with { Labels = new Dictionary<string, string> { ["app"] = "db" } };

    private readonly PlannedFabric _lab = new(new FlowPlanner(new PlannerOptions()), [H1, H2], [Net], [Web, Db]);
    private ulong _nextConversation = 1;

    [Fact]
    public void FirstPacket_AllowedByDefault_DeliveredUnchangedAcrossHosts()
    {
        PolicyEngine engine = PolicyLab.Compile([Web, Db]);
        byte[] frame = PlannedFabric.Echo(Web, Db);

        (PolicyDecision decision, FabricDelivery delivery) = FirstPacket(engine, Web, Db, frame);

        Assert.True(decision.IsAllowed);
        FabricArrival arrival = delivery.SingleArrival;
        Assert.Equal(Db.Name, arrival.Endpoint.Name);
        Assert.Equal(frame, arrival.Frame);
        SegmentFrame onWire = Assert.Single(delivery.Segment);
        Assert.Equal(H1.Name, onWire.FromHost);
        Assert.NotEqual(Web.Mac, MacAddress.Read(onWire.Frame.AsSpan(MacAddress.Size, MacAddress.Size)));
        Assert.NotEqual(Db.Mac, MacAddress.Read(onWire.Frame.AsSpan(0, MacAddress.Size)));
        Assert.Equal(frame.AsSpan(2 * MacAddress.Size).ToArray(), onWire.Frame.AsSpan(2 * MacAddress.Size).ToArray());
        Assert.Empty(_lab.Fabric.Send(Db.Name, PlannedFabric.Echo(Db, Web)).PacketIns);
    }

    [Fact]
    public void FirstPacket_DeniedByRule_DroppedAtTheSourceAndLaterPacketsNeverReachTheController()
    {
        PolicyEngine engine = PolicyLab.Compile(
            [Web, Db],
            [PolicyLab.Group("db", "acme", ("app", "db"))],
            [PolicyLab.Rule("db-closed", "acme", "db", RuleDirection.Ingress, PolicyPeer.Tenant("acme"), PolicyAction.Deny, 1)]);
        byte[] frame = FrameBuilder.Tcp(new FrameAddresses(Web.Mac, Db.Mac, Web.Ip, Db.Ip), 40000, 5432, TcpFlags.Syn);

        (PolicyDecision decision, FabricDelivery delivery) = FirstPacket(engine, Web, Db, frame);
        FabricDelivery again = _lab.Fabric.Send(Web.Name, frame);

        Assert.Equal("db-closed", decision.Rule!.Name);
        Assert.Empty(delivery.Arrivals);
        Assert.Empty(delivery.Segment);
        Assert.Equal(H1.Name, Assert.Single(delivery.Drops).Host);
        Assert.Empty(again.Arrivals);
        Assert.Empty(again.PacketIns);
    }

    [Fact]
    public void FirstPacket_PortRuleAllows_DeliveredToThatPort()
    {
        PolicyEngine engine = PolicyLab.Compile(
            [Web, Db],
            [PolicyLab.Group("db", "acme", ("app", "db"))],
            [
                PolicyLab.Rule("db-closed", "acme", "db", RuleDirection.Ingress, PolicyPeer.Tenant("acme"), PolicyAction.Deny, 10),
                PolicyLab.Rule("db-pg", "acme", "db", RuleDirection.Ingress, PolicyPeer.Network(Net.Name), PolicyAction.Allow, 5, PolicyProtocol.Tcp, PortRange.Single(5432)),
            ]);
        byte[] pg = FrameBuilder.Tcp(new FrameAddresses(Web.Mac, Db.Mac, Web.Ip, Db.Ip), 40000, 5432, TcpFlags.Syn);

        (PolicyDecision decision, FabricDelivery delivery) = FirstPacket(engine, Web, Db, pg);

        Assert.Equal(PolicyGranularity.ProtocolPort, decision.Granularity);
        Assert.Equal(pg, delivery.SingleArrival.Frame);
        Assert.Equal(Db.Name, delivery.SingleArrival.Endpoint.Name);
    }

    [Fact]
    public void FirstPacket_Disconnected_NothingDeliveredEitherWay()
    {
        var disconnect = new PairwiseConnection("split", "acme", ConnectionAction.Disconnect, ConnectionTarget.Endpoint(Web.Name), ConnectionTarget.Endpoint(Db.Name));
        PolicyEngine engine = PolicyLab.Compile([Web, Db], connections: [disconnect]);

        (PolicyDecision there, FabricDelivery toDb) = FirstPacket(engine, Web, Db, PlannedFabric.Echo(Web, Db));
        (PolicyDecision back, FabricDelivery toWeb) = FirstPacket(engine, Db, Web, PlannedFabric.Echo(Db, Web));

        Assert.Equal(DecisionReason.Disconnected, there.Reason);
        Assert.Equal(DecisionReason.Disconnected, back.Reason);
        Assert.Empty(toDb.Arrivals);
        Assert.Empty(toWeb.Arrivals);
    }

    // The first-packet path in miniature: packet-in, decide on the parsed protocol and port, install, resend.
    private (PolicyDecision Decision, FabricDelivery Delivery) FirstPacket(PolicyEngine engine, Endpoint from, Endpoint to, byte[] frame)
    {
        FabricPacketIn packetIn = Assert.Single(_lab.Fabric.Send(from.Name, frame).PacketIns);
        (byte protocol, ushort port) = Transport(packetIn.PacketIn.Frame);
        PolicyDecision decision = engine.Decide(from, to, protocol, port);
        TrafficScope scope = TrafficScope.Enforcing(engine, decision, from.Id, to.Id, protocol, port);
        if (decision.IsAllowed)
        {
            _lab.Converse(_nextConversation++, from, to, scope);
        }
        else
        {
            _lab.Fabric.Apply(from.Host, [_lab.Planner.PlanDenial(_nextConversation++, from, Net, to.Ip, scope)]);
        }

        return (decision, _lab.Fabric.Send(from.Name, frame));
    }

    private static (byte Protocol, ushort Port) Transport(byte[] frame)
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
