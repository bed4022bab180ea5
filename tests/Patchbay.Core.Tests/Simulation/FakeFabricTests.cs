// The fabric's L2 segment and ports: unicast by uplink MAC, flooding of broadcast and unknown unicast
// like the Linux bridge, arrivals on endpoint ports, packet-ins per host, and a hop bound for loops.
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Simulation;

public class FakeFabricTests
{
    private static readonly MacAddress Uplink1 = MacAddress.Parse("02:00:c6:12:00:01");
    private static readonly MacAddress Uplink2 = MacAddress.Parse("02:00:c6:12:00:02");
    private static readonly MacAddress Uplink3 = MacAddress.Parse("02:00:c6:12:00:03");

    private readonly FakeFabric _fabric = new();
    private readonly FabricEndpoint _a;
    private readonly FabricEndpoint _b;
    private readonly FabricEndpoint _c;

    public FakeFabricTests()
    {
        _fabric.AddHost("h1", Uplink1);
        _fabric.AddHost("h2", Uplink2);
        _fabric.AddHost("h3", Uplink3);
        _a = _fabric.AddEndpoint("a", "h1", 10, MacAddress.Parse("02:00:0a:00:00:0a"), Ipv4Address.Parse("10.0.0.10"));
        _b = _fabric.AddEndpoint("b", "h2", 10, MacAddress.Parse("02:00:0a:00:00:0b"), Ipv4Address.Parse("10.0.0.11"));
        _c = _fabric.AddEndpoint("c", "h2", 11, MacAddress.Parse("02:00:0a:00:00:0c"), Ipv4Address.Parse("10.0.0.12"));
    }

    [Fact]
    public void Send_OutputOnUplinkToHostMac_ReachesOnlyThatHostAndIsCapturedOnSegment()
    {
        _fabric.Apply("h1", [Flows.Add(0, 1, [Oxm.InPort(10)], Flows.Apply(Flows.SetEthSrc(Uplink1), Flows.SetEthDst(Uplink2), Flows.Output(1)))]);
        _fabric.Apply("h2", [Flows.Add(0, 1, [Oxm.InPort(1), Flows.EthDst(Uplink2)], Flows.Apply(Flows.SetEthSrc(_a.Mac), Flows.SetEthDst(_b.Mac), Flows.Output(10)))]);
        _fabric.Apply("h3", [Flows.Add(0, 1, [], Flows.Apply(Flows.ToController()))]);
        byte[] ping = FrameBuilder.IcmpEcho(_a.To(_b), 1, 1, new byte[16]);

        FabricDelivery delivery = _fabric.Send("a", ping);

        Assert.Equal(ping, delivery.SingleArrival.Frame);
        Assert.Equal("b", delivery.SingleArrival.Endpoint.Name);
        SegmentFrame onWire = Assert.Single(delivery.Segment);
        Assert.Equal("h1", onWire.FromHost);
        Assert.Equal(Uplink2, MacAddress.Read(onWire.Frame));
        Assert.Empty(delivery.PacketIns);
        Assert.DoesNotContain(delivery.Traces, t => t.Host == "h3");
    }

    [Fact]
    public void Send_BroadcastOnUplink_FloodsToEveryOtherHost()
    {
        _fabric.Apply("h1", [Flows.Add(0, 1, [Oxm.InPort(10)], Flows.Apply(Flows.Output(1)))]);
        foreach (string host in new[] { "h2", "h3" })
        {
            _fabric.Apply(host, [Flows.Add(0, 1, [Oxm.InPort(1)], Flows.Apply(Flows.ToController()))]);
        }

        FabricDelivery delivery = _fabric.Send("a", ArpPacket.BuildRequest(_a.Mac, _a.Ip, _b.Ip));

        Assert.Equal(["h2", "h3"], delivery.PacketIns.Select(p => p.Host).Order());
        Assert.DoesNotContain(delivery.Traces, t => t.Host == "h1" && t.InPort == 1);
    }

    [Fact]
    public void Send_UnknownUnicastOnUplink_FloodsLikeTheBridge()
    {
        _fabric.Apply("h1", [Flows.Add(0, 1, [Oxm.InPort(10)], Flows.Apply(Flows.Output(1)))]);

        FabricDelivery delivery = _fabric.Send("a", FrameBuilder.IcmpEcho(_a.To(_b), 1, 1, []));

        Assert.Equal(["h2", "h3"], delivery.Drops.Select(d => d.Host).Order());
        Assert.All(delivery.Drops, d => Assert.Equal(DropReason.TableMiss, d.Drop.Reason));
    }

    [Fact]
    public void Send_ToControllerOnSourceHost_ReportsPacketInWithHostAndInPort()
    {
        _fabric.Apply("h2", [Flows.Add(0, 0, [], Flows.Apply(Flows.ToController()))]);
        byte[] frame = FrameBuilder.Udp(_c.To(_b), 1, 2, []);

        FabricPacketIn packetIn = Assert.Single(_fabric.Send("c", frame).PacketIns);

        Assert.Equal("h2", packetIn.Host);
        Assert.Equal(11u, packetIn.PacketIn.InPort);
        Assert.Equal(frame, packetIn.PacketIn.Frame);
    }

    [Fact]
    public void PacketOut_ThroughTableToLocalPort_ArrivesAtEndpoint()
    {
        _fabric.Apply("h2", [Flows.Add(0, 1, [Flows.IsIpv4, Flows.Ipv4Dst(_b.Ip)], Flows.Apply(Flows.Output(10)))]);
        byte[] frame = FrameBuilder.IcmpEcho(_c.To(_b), 1, 1, []);

        FabricDelivery delivery = _fabric.PacketOut("h2", Flows.ThroughTable(11, frame));

        Assert.Equal("b", delivery.SingleArrival.Endpoint.Name);
    }

    [Fact]
    public void PacketOut_ArpReplyToRequesterPort_ArrivesAtRequester()
    {
        byte[] reply = ArpPacket.BuildReply(ArpPacket.BuildRequest(_a.Mac, _a.Ip, _b.Ip), _b.Mac);

        FabricDelivery delivery = _fabric.PacketOut("h1", OfpPortNo.Controller, reply, [Flows.Output(10)]);

        Assert.Equal(reply, delivery.SingleArrival.Frame);
        Assert.Equal("a", delivery.SingleArrival.Endpoint.Name);
    }

    [Fact]
    public void Send_OutputToPortWithoutEndpoint_IsUnclaimed()
    {
        _fabric.Apply("h1", [Flows.Add(0, 1, [], Flows.Apply(Flows.Output(99)))]);

        FabricDelivery delivery = _fabric.Send("a", FrameBuilder.Udp(_a.To(_b), 1, 2, []));

        Assert.Empty(delivery.Arrivals);
        Assert.Equal(("h1", 99u), (delivery.Unclaimed[0].Host, delivery.Unclaimed[0].Output.Port));
    }

    [Fact]
    public void Send_HostsBouncingFrameBetweenUplinks_StopsAtHopBound()
    {
        _fabric.Apply("h1", [Flows.Add(0, 1, [Oxm.InPort(10)], Flows.Apply(Flows.SetEthDst(Uplink2), Flows.Output(1)))]);
        _fabric.Apply("h1", [Flows.Add(0, 1, [Oxm.InPort(1)], Flows.Apply(Flows.SetEthDst(Uplink2), Flows.Output(OfpPortNo.InPort)))]);
        _fabric.Apply("h2", [Flows.Add(0, 1, [], Flows.Apply(Flows.SetEthDst(Uplink1), Flows.Output(OfpPortNo.InPort)))]);

        Assert.Throws<InvalidOperationException>(() => _fabric.Send("a", FrameBuilder.Udp(_a.To(_b), 1, 2, [])));
    }

    [Fact]
    public void InjectOnSegment_FrameForHostMac_EntersThatHostsUplink()
    {
        _fabric.Apply("h2", [Flows.Add(0, 1, [Oxm.InPort(1)], Flows.Apply(Flows.ToController()))]);

        FabricDelivery delivery = _fabric.InjectOnSegment(FrameBuilder.Udp(new FrameAddresses(Uplink3, Uplink2, _a.Ip, _b.Ip), 1, 2, []));

        Assert.Equal("h2", Assert.Single(delivery.PacketIns).Host);
        Assert.Null(Assert.Single(delivery.Segment).FromHost);
    }

    [Fact]
    public void Expire_AcrossHosts_ReturnsEachHostsNotices()
    {
        FlowMod conversation = Flows.Add(20, 100, [Oxm.InPort(10)], Flows.Apply()) with { Cookie = 3, IdleTimeout = 10, Flags = FlowModFlags.SendFlowRem };
        _fabric.Apply("h1", [conversation]);
        _fabric.Apply("h2", [conversation]);

        IReadOnlyList<(string Host, FlowRemoved Notice)> notices = _fabric.Expire(TimeSpan.FromSeconds(10));

        Assert.Equal(["h1", "h2"], notices.Select(n => n.Host).Order());
        Assert.All(notices, n => Assert.Equal(FlowRemovedReason.IdleTimeout, n.Notice.Reason));
    }

    [Fact]
    public void AddEndpoint_PortTakenOrUplink_Throws()
    {
        Assert.Throws<ArgumentException>(() => _fabric.AddEndpoint("x", "h2", 10, MacAddress.Zero, Ipv4Address.Any));
        Assert.Throws<ArgumentException>(() => _fabric.AddEndpoint("y", "h1", 1, MacAddress.Zero, Ipv4Address.Any));
    }
}
