// Pipeline semantics: goto chains, metadata, set-field rewrites (checksums included), action sets,
// table-miss behaviour, counters, meters, expiry and packet-out.
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;
using Patchbay.Testing.Switching;

namespace Patchbay.Core.Tests.Simulation;

public class SwitchModelPipelineTests
{
    private static readonly MacAddress MacA = MacAddress.Parse("02:00:00:00:00:0a");
    private static readonly MacAddress MacB = MacAddress.Parse("02:00:00:00:00:0b");
    private static readonly MacAddress HostMac = MacAddress.Parse("02:ff:00:00:00:01");
    private static readonly Ipv4Address IpA = Ipv4Address.Parse("10.0.0.10");
    private static readonly Ipv4Address IpB = Ipv4Address.Parse("10.0.0.11");
    private static readonly FrameAddresses AToB = new(MacA, MacB, IpA, IpB);
    private static readonly byte[] Ping = FrameBuilder.IcmpEcho(AToB, 1, 1, new byte[8]);

    [Fact]
    public void Evaluate_GotoChain_VisitsTablesInOrderAndOutputs()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Goto(10)) with { Cookie = 1 });
        model.Apply(Flows.Add(10, 1, [], Flows.Goto(40)) with { Cookie = 2 });
        model.Apply(Flows.Add(40, 1, [], Flows.Apply(Flows.Output(5))) with { Cookie = 3 });

        PipelineResult result = model.Evaluate(1, Ping);

        Assert.Equal([0, 10, 40], result.Path.Select(s => (int)s.TableId));
        Assert.Equal([1UL, 2UL, 3UL], result.Path.Select(s => s.Flow!.Cookie));
        Assert.Equal(5u, result.SingleOutput.Port);
        Assert.Equal(Ping, result.SingleOutput.Frame);
    }

    [Fact]
    public void Evaluate_WriteMetadataWithMask_OnlyMaskedBitsChangeAndLaterTablesMatchThem()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Metadata(0xff00_0000_0000_00ff, 0xff00_0000_0000_0000), Flows.Goto(10)));
        model.Apply(Flows.Add(10, 1, [], Flows.Metadata(0x0000_0000_0000_0007, 0x0000_0000_0000_000f), Flows.Goto(20)));
        model.Apply(Flows.Add(20, 10, [Oxm.Metadata(0xff00_0000_0000_0007)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(20, 20, [Oxm.Metadata(0xff00_0000_0000_00ff)], Flows.Apply(Flows.Output(3))));
        model.Apply(Flows.Add(20, 5, [Oxm.Metadata(0xff00_0000_0000_0000, 0xff00_0000_0000_0000)], Flows.Apply(Flows.Output(4))));

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Evaluate_MetadataMaskedMatch_SelectsByNetworkBits()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(1)], Flows.Metadata(0x0000_0001_0000_0000), Flows.Goto(10)));
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(2)], Flows.Metadata(0x0000_0002_0000_0000), Flows.Goto(10)));
        model.Apply(Flows.Add(10, 1, [Oxm.Metadata(0x0000_0001_0000_0000, 0xffff_ffff_0000_0000)], Flows.Apply(Flows.Output(7))));

        Assert.Equal(7u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(DropReason.TableMiss, model.Evaluate(2, Ping).Dropped!.Reason);
    }

    [Fact]
    public void Evaluate_SetEthFields_RewritesMacsOnly()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Flows.IsIpv4], Flows.Apply(Flows.SetEthSrc(HostMac), Flows.SetEthDst(MacA), Flows.Output(2))));

        byte[] output = model.Evaluate(1, Ping).SingleOutput.Frame;

        Assert.True(Ipv4View.TryParseFrame(output, out EthernetFrame ethernet, out Ipv4View ip));
        Assert.Equal(HostMac, ethernet.Source);
        Assert.Equal(MacA, ethernet.Destination);
        Assert.Equal(Ping.AsSpan(12).ToArray(), output.AsSpan(12).ToArray());
        Assert.True(ip.IsChecksumValid);
    }

    [Fact]
    public void Evaluate_SetIpv4DstOnTcp_RewritesAddressAndFixesIpAndTcpChecksums()
    {
        var newDst = Ipv4Address.Parse("198.18.0.7");
        byte[] syn = FrameBuilder.Tcp(AToB, 40000, 80, TcpFlags.Syn, payload: "x"u8);
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Tcp), Oxm.TcpDst(80)], Flows.Apply(Flows.SetIpv4Dst(newDst), new SetFieldAction(Oxm.TcpDst(8080)), Flows.Output(2))));

        byte[] output = model.Evaluate(1, syn).SingleOutput.Frame;

        Assert.True(Ipv4View.TryParseFrame(output, out _, out Ipv4View ip));
        Assert.Equal(newDst, ip.Destination);
        Assert.True(ip.IsChecksumValid);
        Assert.True(TcpView.TryParse(ip.Payload, out TcpView tcp));
        Assert.Equal(8080, tcp.DestinationPort);
        Assert.True(tcp.IsChecksumValid(ip.Source, ip.Destination));
    }

    [Fact]
    public void Evaluate_SetIpv4SrcOnUdp_FixesUdpChecksum()
    {
        byte[] datagram = FrameBuilder.Udp(AToB, 1000, 53, "q"u8);
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Flows.IsIpv4], Flows.Apply(Flows.SetIpv4Src(Ipv4Address.Parse("203.0.113.5")), Flows.Output(2))));

        byte[] output = model.Evaluate(1, datagram).SingleOutput.Frame;

        Assert.True(Ipv4View.TryParseFrame(output, out _, out Ipv4View ip));
        Assert.True(ip.IsChecksumValid);
        Assert.True(UdpView.TryParse(ip.Payload, out UdpView udp));
        Assert.True(udp.IsChecksumValid(ip.Source, ip.Destination));
        Assert.Equal(Ipv4Address.Parse("203.0.113.5"), ip.Source);
    }

    [Fact]
    public void Evaluate_ApplyActionsOrder_OutputBeforeSetFieldSeesOriginalBytes()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.Output(2), Flows.SetEthDst(HostMac), Flows.Output(3))));

        PipelineResult result = model.Evaluate(1, Ping);

        Assert.Equal(MacB, MacAddress.Read(result.Forwarded[0].Frame));
        Assert.Equal(HostMac, MacAddress.Read(result.Forwarded[1].Frame));
    }

    [Fact]
    public void Evaluate_WriteActions_ActionSetRunsAtPipelineEndWithSetFieldBeforeOutput()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Write(Flows.Output(2), Flows.SetEthDst(HostMac)), Flows.Goto(10)));
        model.Apply(Flows.Add(10, 1, [], Flows.Write(Flows.Output(3))));

        PacketForwarded output = model.Evaluate(1, Ping).SingleOutput;

        Assert.Equal(3u, output.Port);
        Assert.Equal(HostMac, MacAddress.Read(output.Frame));
    }

    [Fact]
    public void Evaluate_ClearActions_EmptiesActionSetSoPacketIsDropped()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Write(Flows.Output(2)), Flows.Goto(10)));
        model.Apply(Flows.Add(10, 1, [], new ClearActionsInstruction()) with { Cookie = 99 });

        PacketDropped dropped = model.Evaluate(1, Ping).Dropped!;

        Assert.Equal(DropReason.NoOutput, dropped.Reason);
        Assert.Equal(10, dropped.TableId);
        Assert.Equal(99UL, dropped.Cookie);
    }

    [Fact]
    public void Evaluate_NoFlowInTable_DroppedAsTableMissWithMissStep()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Goto(30)));

        PipelineResult result = model.Evaluate(1, Ping);

        Assert.Equal(new PacketDropped(DropReason.TableMiss, 30, null), result.Dropped);
        Assert.True(result.Path[^1].IsMiss);
    }

    [Fact]
    public void Evaluate_TableMissFlowToController_PacketInSaysNoMatchAndCarriesMetadata()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Metadata(7), Flows.Goto(20)));
        model.Apply(Flows.Add(20, 0, [], Flows.Apply(Flows.ToController())) with { Cookie = 0x0100_0000_0000_0000 });

        PacketToController packetIn = Assert.Single(model.Evaluate(3, Ping).ToController);
        PacketIn message = packetIn.ToPacketIn();

        Assert.Equal(PacketInReason.NoMatch, message.Reason);
        Assert.Equal(20, message.TableId);
        Assert.Equal(0x0100_0000_0000_0000UL, message.Cookie);
        Assert.Equal(new OfpMatch([Oxm.InPort(3), Oxm.Metadata(7)]), message.Match);
        Assert.Equal(Ping, message.Data.ToArray());
        Assert.Equal(OpenFlow.OfpConstants.NoBuffer, message.BufferId);
    }

    [Fact]
    public void Evaluate_ControllerOutputInRegularFlowWithMaxLen_ReasonActionAndDataCut()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(3)], Flows.Apply(new OutputAction(OfpPortNo.Controller, 20))));

        PacketIn message = Assert.Single(model.Evaluate(3, Ping).ToController).ToPacketIn();

        Assert.Equal(PacketInReason.Action, message.Reason);
        Assert.Equal(20, message.Data.Length);
        Assert.Equal(Ping.Length, message.TotalLen);
    }

    [Fact]
    public void Evaluate_OutputToInputPort_SkippedUnlessInPortReserved()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(1)], Flows.Apply(Flows.Output(1))));
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(2)], Flows.Apply(Flows.Output(OfpPortNo.InPort))));

        Assert.Equal(DropReason.NoOutput, model.Evaluate(1, Ping).Dropped!.Reason);
        Assert.Equal(2u, model.Evaluate(2, Ping).SingleOutput.Port);
    }

    [Fact]
    public void Evaluate_Flood_OutputsToEveryKnownPortButInput()
    {
        var model = new SwitchModel();
        foreach (uint port in new uint[] { 1, 2, 3 })
        {
            model.AddPort(port);
        }

        model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.Output(OfpPortNo.Flood))));

        Assert.Equal([1u, 3u], model.Evaluate(2, Ping).Forwarded.Select(f => f.Port));
    }

    [Fact]
    public void Evaluate_MatchOnL4AndArpFields_SelectsByThem()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Icmp), Oxm.Icmpv4Type(IcmpType.EchoRequest)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.IpProto(IpProtocol.Udp), Oxm.UdpDst(53)], Flows.Apply(Flows.Output(3))));
        model.Apply(Flows.Add(0, 10, [Flows.IsArp, Oxm.ArpOp(ArpOperation.Request), Oxm.ArpTpa(IpB.ToIPAddress()), Oxm.ArpSha(MacA.ToBytes())], Flows.Apply(Flows.Output(4))));

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.Equal(3u, model.Evaluate(1, FrameBuilder.Udp(AToB, 9, 53, [])).SingleOutput.Port);
        Assert.Equal(DropReason.TableMiss, model.Evaluate(1, FrameBuilder.Udp(AToB, 9, 54, [])).Dropped!.Reason);
        Assert.Equal(4u, model.Evaluate(1, ArpPacket.BuildRequest(MacA, IpA, IpB)).SingleOutput.Port);
        Assert.True(model.Evaluate(1, ArpPacket.BuildRequest(MacB, IpA, IpB)).IsDropped);
        Assert.True(model.Evaluate(1, FrameBuilder.IcmpEcho(AToB, 1, 1, [], reply: true)).IsDropped);
    }

    [Fact]
    public void Evaluate_Ipv4PrefixMatch_SelectsSubnet()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Flows.IsIpv4, Oxm.Ipv4Dst(IpB.ToIPAddress(), 24)], Flows.Apply(Flows.Output(2))));

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.True(model.Evaluate(1, FrameBuilder.IcmpEcho(AToB with { DestinationIp = Ipv4Address.Parse("10.0.1.11") }, 1, 1, [])).IsDropped);
    }

    [Fact]
    public void Evaluate_PushVlanSetVidThenPopInNextHop_TagVisibleToVlanMatch()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(1), Oxm.VlanVid(Oxm.VlanNone)], Flows.Apply(new PushVlanAction(EtherType.Vlan), new SetFieldAction(Oxm.VlanVid(Oxm.VlanPresent | 42)), Flows.Output(2))));
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(2), Oxm.VlanVid(Oxm.VlanPresent | 42)], Flows.Apply(new PopVlanAction(), Flows.Output(3))));

        byte[] tagged = model.Evaluate(1, Ping).SingleOutput.Frame;
        Assert.True(EthernetFrame.TryParse(tagged, out EthernetFrame ethernet));
        Assert.Equal(42, ethernet.VlanId);
        Assert.Equal(EtherType.Ipv4, ethernet.EtherType);

        Assert.Equal(Ping, model.Evaluate(2, tagged).SingleOutput.Frame);
    }

    [Fact]
    public void Evaluate_MatchedFlows_CountPacketsAndBytesPerFlow()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Goto(10)));
        model.Apply(Flows.Add(10, 1, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))));
        model.Apply(Flows.Add(10, 1, [Oxm.InPort(2)], Flows.Apply(Flows.Output(1))));

        for (int i = 0; i < 3; i++)
        {
            model.Evaluate(1, Ping);
        }

        model.Evaluate(2, ArpPacket.BuildRequest(MacB, IpB, IpA));

        IReadOnlyList<FlowEntry> flows = model.DumpFlows();
        Assert.Equal((4UL, (ulong)((3 * Ping.Length) + 42)), (flows[0].PacketCount, flows[0].ByteCount));
        Assert.Equal((3UL, (ulong)(3 * Ping.Length)), (flows.Single(f => f.Match.Equals(new OfpMatch([Oxm.InPort(1)]))).PacketCount, flows.Single(f => f.Match.Equals(new OfpMatch([Oxm.InPort(1)]))).ByteCount));
        Assert.Equal(1UL, flows.Single(f => f.Match.Equals(new OfpMatch([Oxm.InPort(2)]))).PacketCount);
    }

    [Fact]
    public void Expire_IdleTimeout_RemovesOnlyIdleFlowsAndTrafficKeepsThemAlive()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 100, [Oxm.InPort(1)], Flows.Apply(Flows.Output(2))) with { IdleTimeout = 10, Flags = FlowModFlags.SendFlowRem, Cookie = 7 });
        model.Apply(Flows.Add(0, 100, [Oxm.InPort(3)], Flows.Apply(Flows.Output(2))) with { IdleTimeout = 10, Cookie = 8 });

        Assert.Empty(model.Expire(TimeSpan.FromSeconds(6)));
        model.Evaluate(1, Ping);
        Assert.Empty(model.Expire(TimeSpan.FromSeconds(6)));

        Assert.Equal(2u, model.Evaluate(1, Ping).SingleOutput.Port);
        Assert.True(model.Evaluate(3, Ping).IsDropped);
        IReadOnlyList<FlowRemoved> notices = model.Expire(TimeSpan.FromSeconds(10));

        FlowRemoved notice = Assert.Single(notices);
        Assert.Equal(FlowRemovedReason.IdleTimeout, notice.Reason);
        Assert.Equal(7UL, notice.Cookie);
        Assert.Equal(2UL, notice.PacketCount);
        Assert.Equal(22u, notice.DurationSec);
        Assert.True(model.Evaluate(1, Ping).IsDropped);
    }

    [Fact]
    public void Expire_HardTimeout_RemovesDespiteTraffic()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 1, [], Flows.Apply(Flows.Output(2))) with { HardTimeout = 5, Flags = FlowModFlags.SendFlowRem });

        model.Expire(TimeSpan.FromSeconds(4));
        model.Evaluate(1, Ping);
        FlowRemoved notice = Assert.Single(model.Expire(TimeSpan.FromSeconds(1)));

        Assert.Equal(FlowRemovedReason.HardTimeout, notice.Reason);
        Assert.Equal(0, model.FlowCount);
    }

    [Fact]
    public void Evaluate_MeteredControllerFlow_AdmitsRatePerSecondThenDrops()
    {
        var model = new SwitchModel();
        model.Apply(Flows.PacketMeter(3, 5));
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(3)], Flows.Meter(3), Flows.Apply(Flows.ToController())));

        List<PipelineResult> first = [.. Enumerable.Range(0, 8).Select(_ => model.Evaluate(3, Ping))];
        model.Expire(TimeSpan.FromSeconds(1));
        PipelineResult nextSecond = model.Evaluate(3, Ping);

        Assert.Equal(5, first.Count(r => r.ToController.Count == 1));
        Assert.All(first.Skip(5), r => Assert.Equal(new PacketDropped(DropReason.Meter, 0, 0, 3), r.Dropped));
        Assert.All(first, r => Assert.Equal([3u], r.Meters));
        Assert.Single(nextSecond.ToController);
        MeterEntry meter = Assert.Single(model.DumpMeters());
        Assert.Equal((9UL, 3UL), (meter.PacketCount, meter.DroppedCount));
    }

    [Fact]
    public void Apply_FlowWithUnknownMeterOrBadMeter_Refused()
    {
        var model = new SwitchModel();

        Assert.Equal(SwitchErrorCodes.MeterModUnknownMeter, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.Add(20, 1, [], Flows.Meter(9), Flows.Apply(Flows.ToController())))).Code);
        Assert.Equal(SwitchErrorCodes.MeterModBadFlags, Assert.Throws<SwitchModelException>(() => model.Apply(new MeterMod(MeterModCommand.Add, MeterFlags.Burst, 9, [new MeterBandDrop(10, 1)]))).Code);
        model.Apply(Flows.PacketMeter(9, 10));
        Assert.Equal(SwitchErrorCodes.MeterModExists, Assert.Throws<SwitchModelException>(() => model.Apply(Flows.PacketMeter(9, 10))).Code);
    }

    [Fact]
    public void Apply_DeleteMeter_RemovesFlowsUsingIt()
    {
        var model = new SwitchModel();
        model.Apply(Flows.PacketMeter(4, 10));
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(4)], Flows.Meter(4), Flows.Apply(Flows.ToController())));
        model.Apply(Flows.Add(0, 1, [Oxm.InPort(5)], Flows.Apply(Flows.ToController())));

        model.Apply(new MeterMod(MeterModCommand.Delete, MeterFlags.None, 4, []));

        Assert.True(model.Evaluate(4, Ping).IsDropped);
        Assert.Single(model.Evaluate(5, Ping).ToController);
    }

    [Fact]
    public void PacketOut_OutputTable_ReentersPipelineFromTableZeroWithGivenInPort()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [Oxm.InPort(4)], Flows.Goto(20)));
        model.Apply(Flows.Add(20, 10, [Flows.IsIpv4, Flows.Ipv4Dst(IpB)], Flows.Apply(Flows.SetEthSrc(HostMac), Flows.Output(1))));

        PipelineResult result = model.PacketOut(Flows.ThroughTable(4, Ping));

        Assert.Equal([0, 20], result.Path.Select(s => (int)s.TableId));
        Assert.Equal(1u, result.SingleOutput.Port);
        Assert.Equal(HostMac, MacAddress.Read(result.SingleOutput.Frame.AsSpan(6)));
        Assert.Equal(1UL, model.DumpFlows()[0].PacketCount);
    }

    [Fact]
    public void PacketOut_DirectOutput_BypassesPipeline()
    {
        var model = new SwitchModel();
        model.Apply(Flows.Add(0, 10, [], Flows.Apply()));

        PipelineResult result = model.PacketOut(OfpPortNo.Controller, Ping, [Flows.Output(6)]);

        Assert.Empty(result.Path);
        Assert.Equal(new PacketForwarded(6, Ping), result.SingleOutput);
    }
}
