// The planner's flows judged by forwarding, not by flow lists (STYLE.md rule 13): two or three modelled
// switches on one segment, frames sent by containers, and assertions on where they arrive, rewritten
// how, what crossed the fabric and what reached the controller.
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Planning;

public sealed class ForwardingTests
{
    private static readonly Host H1 = PlanningLab.Host(1);
    private static readonly Host H2 = PlanningLab.Host(2);
    private static readonly Network Net = PlanningLab.Network(1);
    private static readonly Network Other = PlanningLab.Network(2);
    private static readonly Endpoint A = PlanningLab.Endpoint(1, H1, Net);
    private static readonly Endpoint B = PlanningLab.Endpoint(2, H2, Net);
    private static readonly Endpoint C = PlanningLab.Endpoint(3, H1, Net);

    // In the other network, on h2, with A's address: only the network tag tells them apart.
    private static readonly Endpoint Twin = PlanningLab.Endpoint(4, H2, Other, lastOctet: 11);

    private readonly PlannedFabric _lab = new(new FlowPlanner(new PlannerOptions()), [H1, H2], [Net, Other], [A, B, C, Twin]);

    [Fact]
    public void Ping_BeforeAnyConversation_OnePacketInFromEgressAndNothingOnTheFabric()
    {
        FabricDelivery delivery = _lab.Ping(A, B);

        FabricPacketIn packetIn = Assert.Single(delivery.PacketIns);
        Assert.Equal(H1.Name, packetIn.Host);
        Assert.Equal(Tables.Egress, packetIn.PacketIn.TableId);
        Assert.Equal(A.OfPort, packetIn.PacketIn.InPort);
        Assert.Equal(Net.Id, packetIn.PacketIn.Metadata & PatchbayPipeline.NetworkMetadataMask);
        Assert.Equal(PlannedFabric.Echo(A, B), packetIn.PacketIn.Frame);
        Assert.Empty(delivery.Arrivals);
        Assert.Empty(delivery.Segment);
    }

    [Fact]
    public void ArpRequest_GoesToControllerFromArpTable_NeverFlooded()
    {
        FabricDelivery delivery = _lab.Fabric.Send(A.Name, ArpPacket.BuildRequest(A.Mac, A.Ip, B.Ip));

        FabricPacketIn packetIn = Assert.Single(delivery.PacketIns);
        Assert.Equal(Tables.Arp, packetIn.PacketIn.TableId);
        Assert.Equal(OfpControllerMaxLen.NoBuffer, packetIn.PacketIn.MaxLen);
        Assert.Empty(delivery.Segment);
        Assert.Empty(delivery.Arrivals);
    }

    [Fact]
    public void ArpReply_FromContainer_Dropped()
    {
        FabricDelivery delivery = _lab.Fabric.Send(A.Name, ArpPacket.BuildReply(A.Mac, A.Ip, C.Mac, C.Ip));

        Assert.Empty(delivery.PacketIns);
        Assert.Empty(delivery.Arrivals);
        Assert.Equal(Tables.Arp, Assert.Single(delivery.Drops).Drop.TableId);
    }

    [Fact]
    public void Ping_CrossHostAfterPlan_ArrivesAsSentWithNetworkHostMacsOnTheFabric()
    {
        _lab.Converse(7, A, B);
        byte[] sent = PlannedFabric.Echo(A, B);

        FabricDelivery delivery = _lab.Fabric.Send(A.Name, sent);

        Assert.Empty(delivery.PacketIns);
        FabricArrival arrival = delivery.SingleArrival;
        Assert.Equal(B.Name, arrival.Endpoint.Name);
        Assert.Equal(sent, arrival.Frame);

        SegmentFrame onWire = Assert.Single(delivery.Segment);
        Assert.Equal(H1.Name, onWire.FromHost);
        Assert.True(EthernetFrame.TryParse(onWire.Frame, out EthernetFrame ethernet));
        Assert.Equal(NetworkHostMac.Of(H1, Net), ethernet.Source);
        Assert.Equal(H2.UplinkMac, ethernet.Destination);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);
        Assert.True(Ipv4View.TryParse(ethernet.Payload, out Ipv4View ip));
        Assert.Equal(A.Ip, ip.Source);
        Assert.Equal(B.Ip, ip.Destination);
        // No encapsulation: the same length, and everything after the MACs untouched.
        Assert.Equal(sent.Length, onWire.Frame.Length);
        Assert.Equal(sent.AsSpan(2 * MacAddress.Size).ToArray(), onWire.Frame.AsSpan(2 * MacAddress.Size).ToArray());
    }

    [Fact]
    public void Reply_CrossHostAfterPlan_FlowsBackWithoutPacketIn()
    {
        _lab.Converse(7, A, B);
        byte[] reply = FrameBuilder.IcmpEcho(new FrameAddresses(B.Mac, A.Mac, B.Ip, A.Ip), 0x5042, 1, new byte[56], reply: true);

        FabricDelivery delivery = _lab.Fabric.Send(B.Name, reply);

        Assert.Empty(delivery.PacketIns);
        Assert.Equal(A.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Equal(reply, delivery.SingleArrival.Frame);
        Assert.True(EthernetFrame.TryParse(Assert.Single(delivery.Segment).Frame, out EthernetFrame ethernet));
        Assert.Equal((NetworkHostMac.Of(H2, Net), H1.UplinkMac), (ethernet.Source, ethernet.Destination));
    }

    [Fact]
    public void FirstPacket_PacketOutThroughTableAfterPlan_ReachesDestination()
    {
        FabricPacketIn first = Assert.Single(_lab.Ping(A, B).PacketIns);
        _lab.Converse(7, A, B);

        FabricDelivery delivery = _lab.Fabric.PacketOut(H1.Name, first.PacketIn.InPort, first.PacketIn.Frame, [new OutputAction(OfpPortNo.Table)]);

        Assert.Empty(delivery.PacketIns);
        Assert.Equal(B.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Equal(first.PacketIn.Frame, delivery.SingleArrival.Frame);
    }

    [Fact]
    public void Ping_SameHostAfterPlan_DeliveredLocallyNothingOnTheFabric()
    {
        ConversationPlan plan = _lab.Converse(8, A, C);
        byte[] sent = PlannedFabric.Echo(A, C);

        FabricDelivery there = _lab.Fabric.Send(A.Name, sent);
        FabricDelivery back = _lab.Ping(C, A);

        Assert.True(plan.SameHost);
        Assert.Equal(C.Name, there.SingleArrival.Endpoint.Name);
        Assert.Equal(sent, there.SingleArrival.Frame);
        Assert.Equal(A.Name, back.SingleArrival.Endpoint.Name);
        Assert.Empty(there.Segment);
        Assert.Empty(back.Segment);
        Assert.Empty(there.PacketIns.Concat(back.PacketIns));
    }

    [Theory]
    [InlineData("mac")]
    [InlineData("ip")]
    [InlineData("both")]
    public void Ping_ForgedSource_DroppedByPortSecurityAndCounted(string forged)
    {
        _lab.Converse(7, A, B);
        Endpoint liar = forged switch
        {
            "mac" => A with { Mac = C.Mac },
            "ip" => A with { Ip = C.Ip },
            _ => A with { Mac = new MacAddress(0x02_de_ad_be_ef_00), Ip = new Ipv4Address(A.Ip.Value + 100) },
        };

        FabricDelivery delivery = _lab.Fabric.Send(A.Name, PlannedFabric.Echo(liar, B));

        Assert.Empty(delivery.Arrivals);
        Assert.Empty(delivery.PacketIns);
        Assert.Empty(delivery.Segment);
        FabricDrop drop = Assert.Single(delivery.Drops);
        Assert.Equal(Cookies.Of(FlowKind.Endpoint, A.Id), drop.Drop.Cookie);
        FlowEntry guard = _lab.Fabric.Host(H1.Name).Switch.DumpFlows()
            .Single(f => DropReasons.Of(f.ToFlowStats()) == DropReasons.PortSecurity && f.Cookie == Cookies.Of(FlowKind.Endpoint, A.Id));
        Assert.Equal(1UL, guard.PacketCount);
    }

    [Fact]
    public void ArpRequest_ForgedSender_DroppedByPortSecurity()
    {
        FabricDelivery delivery = _lab.Fabric.Send(A.Name, ArpPacket.BuildRequest(A.Mac, C.Ip, B.Ip));

        Assert.Empty(delivery.PacketIns);
        Assert.Equal(Cookies.Of(FlowKind.Endpoint, A.Id), Assert.Single(delivery.Drops).Drop.Cookie);
    }

    [Fact]
    public void UplinkFrame_NotAddressedToTheHost_DroppedInClassify()
    {
        _lab.Converse(7, A, B);
        byte[] stray = FrameBuilder.IcmpEcho(new FrameAddresses(H1.UplinkMac, new MacAddress(0x02_00_c6_12_00_99), A.Ip, B.Ip), 1, 1, new byte[8]);

        FabricDelivery delivery = _lab.Fabric.InjectOnSegment(stray);

        Assert.Empty(delivery.Arrivals);
        Assert.Empty(delivery.PacketIns);
        Assert.Equal(2, delivery.Drops.Count);
        Assert.All(delivery.Drops, d =>
        {
            Assert.Equal(Tables.Classify, d.Drop.TableId);
            Assert.Equal(Cookies.Of(FlowKind.Pipeline, (ulong)PipelineFlowId.ClassifyMiss), d.Drop.Cookie);
        });
    }

    [Fact]
    public void UplinkFrame_ForTheHostButNoConversation_DroppedInIngress()
    {
        // Addressed to h2 with the right IPs, but from a MAC that is not h1's for this network: no conversation owns it.
        byte[] spoofed = FrameBuilder.IcmpEcho(new FrameAddresses(new MacAddress(0x02_00_c6_12_00_99), H2.UplinkMac, A.Ip, B.Ip), 1, 1, new byte[8]);
        _lab.Converse(7, A, B);

        FabricDelivery delivery = _lab.Fabric.InjectOnSegment(spoofed);

        Assert.Empty(delivery.Arrivals);
        Assert.Equal(Tables.Ingress, Assert.Single(delivery.Drops).Drop.TableId);
    }

    [Fact]
    public void Ping_ToAddressInAnotherNetwork_NeverReachesThatNetwork()
    {
        // Twin (network 2, on h2) has A's address; C (network 1) pinging that address means A, never Twin.
        _lab.Converse(7, C, A);

        FabricDelivery delivery = _lab.Fabric.Send(C.Name, PlannedFabric.Echo(C, A));

        Assert.Equal(A.Name, delivery.SingleArrival.Endpoint.Name);
        Assert.Empty(delivery.Segment);
    }

    [Fact]
    public void DeleteConversation_OnBothSwitches_BothDirectionsBackToPacketIn()
    {
        ConversationPlan plan = _lab.Converse(7, A, B);
        Assert.Single(_lab.Ping(A, B).Arrivals);

        IReadOnlyList<FlowRemoved> removed = _lab.Revoke(plan, A, B);

        Assert.Equal(4, removed.Count);
        Assert.All(removed, r => Assert.Equal(plan.Cookie, r.Cookie));
        FabricDelivery there = _lab.Ping(A, B);
        FabricDelivery back = _lab.Ping(B, A);
        Assert.Empty(there.Arrivals.Concat(back.Arrivals));
        Assert.Equal(H1.Name, Assert.Single(there.PacketIns).Host);
        Assert.Equal(H2.Name, Assert.Single(back.PacketIns).Host);
    }

    [Fact]
    public void IdleTimeout_ConversationExpiresOnBothSwitches_NextPacketIsAPacketInAgain()
    {
        _lab.Converse(7, A, B);
        _lab.Ping(A, B);

        IReadOnlyList<(string Host, FlowRemoved Notice)> expired = _lab.Fabric.Expire(TimeSpan.FromSeconds(10));

        Assert.Equal(4, expired.Count);
        Assert.Equal(2, expired.Count(e => e.Host == H1.Name));
        Assert.All(expired, e => Assert.Equal(FlowRemovedReason.IdleTimeout, e.Notice.Reason));
        Assert.Single(_lab.Ping(A, B).PacketIns);
    }

    [Fact]
    public void DeleteEndpointFlows_NothingFromThatPortPasses()
    {
        _lab.Converse(7, A, B);
        _lab.Converse(8, A, C);

        _lab.Fabric.Apply(H1.Name, [_lab.Planner.DeleteEndpointFlows(A)]);

        FabricDelivery[] attempts =
        [
            _lab.Ping(A, B),
            _lab.Ping(A, C),
            _lab.Fabric.Send(A.Name, ArpPacket.BuildRequest(A.Mac, A.Ip, B.Ip)),
            _lab.Fabric.Send(A.Name, PlannedFabric.Echo(A with { Mac = C.Mac }, B)),
        ];
        Assert.All(attempts, d =>
        {
            Assert.Empty(d.Arrivals);
            Assert.Empty(d.PacketIns);
            Assert.Empty(d.Segment);
            Assert.Equal(Tables.Classify, Assert.Single(d.Drops).Drop.TableId);
        });
    }

    [Fact]
    public void PlanDenial_FloodToUnroutedAddress_StopsAtTheSwitchCountedThenExpires()
    {
        Endpoint nobody = B with { Name = "nobody", Ip = new Ipv4Address(Net.Subnet.Network.Value + 200) };
        FlowMod denial = _lab.Planner.PlanDenial(9, A, Net, nobody.Ip);
        _lab.Fabric.Apply(H1.Name, [denial]);

        FabricDelivery[] flood = [.. Enumerable.Range(1, 5).Select(i => _lab.Fabric.Send(A.Name, PlannedFabric.Echo(A, nobody, (ushort)i)))];

        Assert.All(flood, d =>
        {
            Assert.Empty(d.PacketIns);
            Assert.Empty(d.Segment);
            Assert.Equal(denial.Cookie, Assert.Single(d.Drops).Drop.Cookie);
        });
        FlowEntry counted = _lab.Fabric.Host(H1.Name).Switch.DumpFlows().Single(f => DropReasons.Of(f.ToFlowStats()) == DropReasons.Denied);
        Assert.Equal(5UL, counted.PacketCount);
        Assert.Single(_lab.Ping(A, B).PacketIns);

        _lab.Fabric.Expire(TimeSpan.FromSeconds(_lab.Planner.Options.IdleTimeoutSeconds));

        Assert.Single(_lab.Fabric.Send(A.Name, PlannedFabric.Echo(A, nobody)).PacketIns);
    }

    [Fact]
    public void Reconcile_AgainstTheSwitchModel_ConvergesAndThenLeavesItAlone()
    {
        // h1 holds a stale state: C's flows (C is gone), A's flows with an old port, one live conversation.
        FlowPlanner planner = _lab.Planner;
        SwitchModel h1 = _lab.Fabric.Host(H1.Name).Switch;
        ConversationPlan live = _lab.Converse(7, A, B);
        h1.Apply(planner.EndpointMeter(A with { OfPort = 40 }, MeterModCommand.Add));
        foreach (FlowMod stale in planner.EndpointFlows(H1, A with { OfPort = 40 }, Net))
        {
            h1.Apply(stale);
        }

        IReadOnlyList<FlowMod> desired = planner.DesiredStaticFlows(H1, [(A, Net)]);
        ReconcilePlan plan = FlowReconciler.Diff(desired, [.. h1.DumpFlows().Select(f => f.ToFlowStats())], cookie => cookie == live.Cookie);
        foreach (FlowMod flow in plan.InOrder)
        {
            PatchbayPipeline.Validate(flow);
            h1.Apply(flow);
        }

        ReconcilePlan again = FlowReconciler.Diff(desired, [.. h1.DumpFlows().Select(f => f.ToFlowStats())], cookie => cookie == live.Cookie);
        Assert.NotEmpty(plan.Deletes);
        Assert.True(again.IsEmpty, $"second pass still wants {again.Deletes.Count} deletes and {again.Adds.Count} adds");
        Assert.Equal(B.Name, _lab.Ping(A, B).SingleArrival.Endpoint.Name);
        Assert.Single(_lab.Ping(A, C).PacketIns);
        Assert.Equal(Tables.Classify, Assert.Single(_lab.Ping(C, A).Drops).Drop.TableId);
    }
}
