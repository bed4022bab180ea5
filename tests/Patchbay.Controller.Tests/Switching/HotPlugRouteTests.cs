// The controller's OpenFlow side end to end in process: simulated switches (SwitchModel behind a real
// OpenFlow connection) connect to the real listener and controller; frames injected into a switch's
// ports travel its pipeline, and what the controller sends back is both checked message by message and
// applied to the model, so the tests assert forwarding, not only flow lists.
using System.Globalization;
using System.Net;
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class HotPlugRouteTests : IAsyncLifetime
{
    private const uint Uplink = 1;
    private static readonly MacAddress H1Uplink = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly MacAddress H2Uplink = MacAddress.Parse("02:00:00:00:00:02");

    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() => _controller = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task OnConnect_RegisteredHost_InstallsExactlyTheDesiredPipeline()
    {
        (SimulatedSwitch h1, _, _, _) = await TwoHostsAsync();

        Host host = _controller.State.FindHost("h1")!;
        Endpoint a = _controller.State.FindEndpoint("a")!;
        Network blue = _controller.State.FindNetwork("blue")!;
        IReadOnlyList<FlowMod> desired = _controller.Planner.DesiredStaticFlows(host, [(a, blue)]);
        ReconcilePlan difference = FlowReconciler.Diff(desired, h1.WithModel(m => m.DumpFlows().Select(f => f.ToFlowStats()).ToList()), _ => false);
        Assert.True(difference.IsEmpty, $"switch differs from the desired flows: {difference.Deletes.Count} extra, {difference.Adds.Count} missing");
        Assert.Equal(2u, Assert.Single(h1.WithModel(m => m.DumpMeters())).MeterId);

        IReadOnlyList<Received> messages = h1.Messages;
        SetConfig config = Assert.IsType<SetConfig>(messages[0].Message);
        Assert.Equal(OfpControllerMaxLen.NoBuffer, config.MissSendLen);
        Assert.IsType<BarrierRequest>(messages[^1].Message);
    }

    [Fact]
    public async Task OnConnect_SwitchBeforeItsHostRegisters_ConfiguredOnRegistration()
    {
        await _controller.CreateNetworkAsync("blue");
        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1);
        await Task.Delay(100);
        Assert.DoesNotContain(h1.Messages, r => r.Message is FlowMod);

        await _controller.RegisterHostAsync("h1", 1);

        await _controller.WaitForHostStateAsync("h1", "connected");
        Assert.Equal(_controller.Planner.HostPipeline(_controller.State.FindHost("h1")!).Count, h1.WithModel(m => m.FlowCount));
    }

    [Fact]
    public async Task OnConnect_SwitchWithStaleFlows_DeletesForeignAndUnknownConversationsKeepsIdenticalFlows()
    {
        await _controller.RegisterHostAsync("h1", 1);
        var model = new SwitchModel(1);
        foreach (FlowMod flow in _controller.Planner.HostPipeline(_controller.State.FindHost("h1")!))
        {
            model.Apply(flow);
        }

        model.Apply(new FlowMod { TableId = Tables.Egress, Priority = 50, Cookie = 0x77, Match = new OpenFlow.Match.OfpMatch([OpenFlow.Match.Oxm.InPort(9)]) });
        model.Apply(new FlowMod { TableId = Tables.Egress, Priority = 100, Cookie = Cookies.Of(FlowKind.Conversation, 99), Match = new OpenFlow.Match.OfpMatch([OpenFlow.Match.Oxm.InPort(8)]) });

        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1, model);
        await _controller.WaitForHostStateAsync("h1", "connected");

        FlowMod[] sent = [.. h1.Messages.Select(r => r.Message).OfType<FlowMod>()];
        Assert.Equal([0x77UL, Cookies.Of(FlowKind.Conversation, 99)], sent.Where(f => f.Command == FlowModCommand.DeleteStrict).Select(f => f.Cookie).Order());
        Assert.DoesNotContain(sent, f => f.Command == FlowModCommand.Add);
        Assert.Equal(_controller.Planner.HostPipeline(_controller.State.FindHost("h1")!).Count, h1.WithModel(m => m.FlowCount));
    }

    [Fact]
    public async Task PutPort_WhileSwitchConnected_InstallsMeterAndEndpointFlows()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1);
        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1);
        await _controller.WaitForHostStateAsync("h1", "connected");
        EndpointView c = await _controller.CreateEndpointAsync("c", "blue", "h1");

        await _controller.SetPortAsync("c", 5);

        Assert.Equal(5u, Assert.Single(h1.WithModel(m => m.DumpMeters())).MeterId);
        ulong cookie = Cookies.Of(FlowKind.Endpoint, _controller.State.FindEndpoint("c")!.Id);
        Assert.Equal(6, h1.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cookie)));
        PipelineResult arp = await h1.InjectAsync(5, ArpPacket.BuildRequest(MacAddress.Parse(c.Mac), Ipv4Address.Parse(c.Ip), Ipv4Address.Parse(c.Gateway)));
        Assert.Equal(Tables.Arp, Assert.Single(arp.ToController).TableId);
    }

    [Fact]
    public async Task Arp_RequestForPeerOnAnotherHost_AnsweredWithPeerMacOutOfRequestingPort()
    {
        (SimulatedSwitch h1, _, EndpointView a, EndpointView b) = await TwoHostsAsync();

        PipelineResult toController = await h1.InjectAsync(2, ArpPacket.BuildRequest(Mac(a), Ip(a), Ip(b)));

        Assert.Equal(Tables.Arp, Assert.Single(toController.ToController).TableId);
        Received received = await h1.WaitForAsync<PacketOut>();
        var packetOut = (PacketOut)received.Message;
        Assert.Equal(OpenFlow.Actions.OfpPortNo.Controller, packetOut.InPort);
        Assert.Equal([new OutputAction(2)], packetOut.Actions);
        Assert.True(ArpView.TryParseFrame(packetOut.Data.Span, out EthernetFrame ethernet, out ArpView reply));
        Assert.True(reply.IsReply);
        Assert.Equal((Mac(b), Ip(b), Mac(a), Ip(a)), (reply.SenderMac, reply.SenderIp, reply.TargetMac, reply.TargetIp));
        Assert.Equal(Mac(a), ethernet.Destination);
        Assert.Equal(2u, Assert.Single(received.PacketOutResult!.Forwarded).Port);
    }

    [Fact]
    public async Task Arp_RequestForGateway_AnsweredWithGatewayMac()
    {
        (SimulatedSwitch h1, _, EndpointView a, _) = await TwoHostsAsync();

        await h1.InjectAsync(2, ArpPacket.BuildRequest(Mac(a), Ip(a), Ipv4Address.Parse(a.Gateway)));

        var packetOut = (PacketOut)(await h1.WaitForAsync<PacketOut>()).Message;
        MacAddress gatewayMac = MacAddress.Parse((await _controller.GetAsync<NetworkView>("/v1/networks/blue")).GatewayMac);
        Assert.True(ArpView.TryParseFrame(packetOut.Data.Span, out _, out ArpView reply));
        Assert.Equal(gatewayMac, reply.SenderMac);
    }

    [Fact]
    public async Task Arp_RequestForUnknownAddress_NoReplyAndCountedAsDrop()
    {
        (SimulatedSwitch h1, _, EndpointView a, _) = await TwoHostsAsync();

        await h1.InjectAsync(2, ArpPacket.BuildRequest(Mac(a), Ip(a), Ipv4Address.Parse("10.1.0.99")));

        await ControllerHarness.EventuallyAsync(async () => (await DropsAsync()).Any(d => d is { Host: "h1", Reason: "arp-unknown-target", Packets: 1 }), "the unknown ARP target is counted");
        Assert.DoesNotContain(h1.Messages, r => r.Message is PacketOut);
    }

    [Fact]
    public async Task FirstPacket_CrossHost_DestinationSwitchFirstThenSourceThenPacketOutAndDelivered()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        long connected = Math.Max(h1.Messages[^1].Sequence, h2.Messages[^1].Sequence);
        byte[] ping = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "hello"u8);

        PipelineResult first = await h1.InjectAsync(2, ping);
        Received packetOutReceived = await h1.WaitForAsync<PacketOut>();

        Assert.Equal(Tables.Egress, Assert.Single(first.ToController).TableId);
        Received[] h2Flows = [.. h2.Messages.Where(r => r.Sequence > connected && r.Message is FlowMod { Command: FlowModCommand.Add })];
        Received[] h1Flows = [.. h1.Messages.Where(r => r.Sequence > connected && r.Message is FlowMod { Command: FlowModCommand.Add })];
        Assert.Equal([Tables.Egress, Tables.Ingress], h2Flows.Select(r => ((FlowMod)r.Message).TableId).Order());
        Assert.Equal([Tables.Egress, Tables.Ingress], h1Flows.Select(r => ((FlowMod)r.Message).TableId).Order());
        long h2Barrier = h2.Messages.First(r => r.Sequence > h2Flows.Max(f => f.Sequence) && r.Message is BarrierRequest).Sequence;
        Assert.True(h1Flows.Min(f => f.Sequence) > h2Barrier, "the source switch got flows before the destination switch's barrier");
        long h1Barrier = h1.Messages.First(r => r.Sequence > h1Flows.Max(f => f.Sequence) && r.Message is BarrierRequest).Sequence;
        Assert.True(packetOutReceived.Sequence > h1Barrier, "the first packet was sent on before the source switch's barrier");

        var packetOut = (PacketOut)packetOutReceived.Message;
        Assert.Equal(2u, packetOut.InPort);
        Assert.Equal([new OutputAction(OpenFlow.Actions.OfpPortNo.Table)], packetOut.Actions);
        Assert.Equal(ping, packetOut.Data.ToArray());

        // On the wire between hosts: the (source host, network) MAC and the far host's uplink MAC around
        // container IPs, no encapsulation.
        Network blue = _controller.State.FindNetwork("blue")!;
        PacketForwarded onFabric = packetOutReceived.PacketOutResult!.SingleOutput;
        Assert.Equal(Uplink, onFabric.Port);
        AssertAddresses(onFabric.Frame, NetworkHostMac.Of(_controller.State.FindHost("h1")!, blue), H2Uplink, Ip(a), Ip(b));
        Assert.Equal(ping.Length, onFabric.Frame.Length);

        PipelineResult atB = await h2.InjectAsync(Uplink, onFabric.Frame);
        Assert.Empty(atB.ToController);
        Assert.Equal(2u, atB.SingleOutput.Port);
        AssertAddresses(atB.SingleOutput.Frame, Mac(a), Mac(b), Ip(a), Ip(b));

        // The reply finds its flows already installed: no second PACKET_IN.
        byte[] pong = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(b), Mac(a), Ip(b), Ip(a)), 7, 1, "hello"u8, reply: true);
        PipelineResult replyOut = await h2.InjectAsync(2, pong);
        Assert.Empty(replyOut.ToController);
        AssertAddresses(replyOut.SingleOutput.Frame, NetworkHostMac.Of(_controller.State.FindHost("h2")!, blue), H1Uplink, Ip(b), Ip(a));
        PipelineResult atA = await h1.InjectAsync(Uplink, replyOut.SingleOutput.Frame);
        Assert.Equal(2u, atA.SingleOutput.Port);
        AssertAddresses(atA.SingleOutput.Frame, Mac(b), Mac(a), Ip(b), Ip(a));

        ConversationView conversation = Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items);
        Assert.Equal(("a", "b", "direct", "active", 1UL), (conversation.Source, conversation.Destination, conversation.Mode, conversation.State, conversation.PacketIns));
        Assert.Equal($"0x{Cookies.Of(FlowKind.Conversation, ulong.Parse(conversation.Id, CultureInfo.InvariantCulture)):x16}", conversation.Cookie);
    }

    [Fact]
    public async Task FirstPacket_TwoTenantsSameAddressesSameHosts_BothConversationsLiveAndEachDeliveredToItsOwn()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        await _controller.CreateNetworkAsync("red", tenant: "t2");
        await _controller.CreateEndpointAsync("ra", "red", "h1", a.Ip);
        await _controller.CreateEndpointAsync("rb", "red", "h2", b.Ip);
        EndpointView ra = await _controller.SetPortAsync("ra", 3);
        EndpointView rb = await _controller.SetPortAsync("rb", 3);
        byte[] bluePing = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "blue"u8);
        byte[] redPing = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(ra), Mac(rb), Ip(ra), Ip(rb)), 7, 1, "red!"u8);

        await h1.InjectAsync(2, bluePing);
        await h1.WaitForAsync<PacketOut>(p => p.InPort == 2);
        await h1.InjectAsync(3, redPing);
        await h1.WaitForAsync<PacketOut>(p => p.InPort == 3);

        Assert.Equal(2, (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items.Count);
        foreach ((byte[] ping, uint port, string network) in new[] { (bluePing, 2u, "blue"), (redPing, 3u, "red") })
        {
            PipelineResult sent = await h1.InjectAsync(port, ping);
            Assert.Empty(sent.ToController);
            Assert.True(EthernetFrame.TryParse(sent.SingleOutput.Frame, out EthernetFrame ethernet));
            Assert.Equal(NetworkHostMac.Of(_controller.State.FindHost("h1")!, _controller.State.FindNetwork(network)!), ethernet.Source);
            PipelineResult delivered = await h2.InjectAsync(Uplink, sent.SingleOutput.Frame);
            Assert.Equal(port, delivered.SingleOutput.Port);
            Assert.Equal(ping, delivered.SingleOutput.Frame);
        }
    }

    [Fact]
    public async Task FirstPacket_SameHost_AllFlowsOnThatSwitchAndDelivered()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, _) = await TwoHostsAsync();
        EndpointView c = await _controller.CreateEndpointAsync("c", "blue", "h1");
        await _controller.SetPortAsync("c", 3);
        int h2Before = h2.Messages.Count;
        byte[] ping = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(c), Ip(a), Ip(c)), 1, 1, "x"u8);

        await h1.InjectAsync(2, ping);
        Received packetOut = await h1.WaitForAsync<PacketOut>();

        Assert.Equal(3u, packetOut.PacketOutResult!.SingleOutput.Port);
        AssertAddresses(packetOut.PacketOutResult.SingleOutput.Frame, Mac(a), Mac(c), Ip(a), Ip(c));
        Assert.Equal(h2Before, h2.Messages.Count);
        byte[] pong = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(c), Mac(a), Ip(c), Ip(a)), 1, 1, "x"u8, reply: true);
        PipelineResult back = await h1.InjectAsync(3, pong);
        Assert.Empty(back.ToController);
        Assert.Equal(2u, back.SingleOutput.Port);
    }

    [Fact]
    public async Task FirstPacket_BothDirectionsAtOnce_OneConversation()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        byte[] ab = FrameBuilder.Udp(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 1000, 2000, "ab"u8);
        byte[] ba = FrameBuilder.Udp(new FrameAddresses(Mac(b), Mac(a), Ip(b), Ip(a)), 2000, 1000, "ba"u8);

        // Both frames meet their switches before the controller has answered either (otherwise the second would
        // simply follow the first one's flows): two first packets of one pair in flight at once.
        PipelineResult fromA = h1.Evaluate(2, ab);
        PipelineResult fromB = h2.Evaluate(2, ba);
        await Task.WhenAll(h1.SendPacketInsAsync(fromA), h2.SendPacketInsAsync(fromB));
        await h1.WaitForAsync<PacketOut>();
        await h2.WaitForAsync<PacketOut>();

        ConversationView conversation = Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items);
        Assert.Equal(2UL, conversation.PacketIns);
    }

    [Fact]
    public async Task FirstPacket_UnknownDestination_CountedAsNoRoute()
    {
        (SimulatedSwitch h1, _, EndpointView a, _) = await TwoHostsAsync();

        await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), H1Uplink, Ip(a), Ipv4Address.Parse("10.1.0.99")), 1, 1, "x"u8));

        await ControllerHarness.EventuallyAsync(async () => (await DropsAsync()).Any(d => d is { Host: "h1", Reason: "no-route", Packets: 1 }), "the packet is counted as no-route");
        Assert.Empty((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items);
    }

    [Fact]
    public async Task FlowRemoved_IdleTimeout_EndsConversationWithCountersAndNextPacketStartsAnother()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        byte[] ping = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "hello"u8);
        byte[] pong = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(b), Mac(a), Ip(b), Ip(a)), 7, 1, "hello"u8, reply: true);
        await h1.InjectAsync(2, ping);
        Received packetOut = await h1.WaitForAsync<PacketOut>();
        await h2.InjectAsync(Uplink, packetOut.PacketOutResult!.SingleOutput.Frame);
        await h2.InjectAsync(2, pong);
        ConversationView active = Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items);
        ulong cookie = Convert.ToUInt64(active.Cookie, 16);

        IReadOnlyList<FlowRemoved> expired = await h1.ExpireAsync(TimeSpan.FromSeconds(11));

        Assert.Equal(2, expired.Count(r => r.Cookie == cookie));
        await h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == cookie && f.CookieMask == ulong.MaxValue);
        ConversationView ended = null!;
        await ControllerHarness.EventuallyAsync(
            async () => (ended = (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=ended")).Items.SingleOrDefault()!) is { Packets: 2 },
            "the conversation ends with both egress flows' packets");
        Assert.Equal((ulong)(ping.Length + pong.Length), ended.Bytes);
        Assert.NotNull(ended.Ended);
        Assert.DoesNotContain(h2.WithModel(m => m.DumpFlows()), f => f.Cookie == cookie);

        await h1.InjectAsync(2, ping);
        await ControllerHarness.EventuallyAsync(async () => (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items.Count == 1, "the next packet starts a new conversation");
        Assert.NotEqual(active.Id, (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items[0].Id);
    }

    [Fact]
    public async Task DeleteEndpoint_WithConversation_DeletesItsFlowsByCookieOnBothSwitches()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "hello"u8));
        await h1.WaitForAsync<PacketOut>();
        ulong conversationCookie = Convert.ToUInt64(Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items).Cookie, 16);
        ulong endpointCookie = Cookies.Of(FlowKind.Endpoint, _controller.State.FindEndpoint("b")!.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/endpoints/b")).StatusCode);

        await h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == conversationCookie && f.CookieMask == ulong.MaxValue);
        await h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == conversationCookie && f.CookieMask == ulong.MaxValue);
        await h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == endpointCookie && f.CookieMask == ulong.MaxValue);
        await h2.WaitForAsync<MeterMod>(m => m.Command == MeterModCommand.Delete && m.MeterId == 2);
        Assert.DoesNotContain(h1.WithModel(m => m.DumpFlows()), f => f.Cookie == conversationCookie);
        Assert.DoesNotContain(h2.WithModel(m => m.DumpFlows()), f => f.Cookie == conversationCookie || f.Cookie == endpointCookie);
        Assert.Equal("ended", Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items).State);
    }

    [Fact]
    public async Task PortSecurity_ForgedSourceMacOrIp_DroppedOnSwitchAndCountedInDrops()
    {
        (SimulatedSwitch h1, _, EndpointView a, EndpointView b) = await TwoHostsAsync();

        PipelineResult forgedMac = await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(MacAddress.Parse("02:66:66:66:66:66"), Mac(b), Ip(a), Ip(b)), 1, 1, "x"u8));
        PipelineResult forgedIp = await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ipv4Address.Parse("10.1.0.66"), Ip(b)), 1, 1, "x"u8));

        Assert.True(forgedMac.IsDropped);
        Assert.True(forgedIp.IsDropped);
        Assert.Empty(forgedMac.ToController);
        Assert.Empty(forgedIp.ToController);
        DropView drop = Assert.Single(await DropsAsync(), d => d.Host == "h1" && d.Reason == DropReasons.PortSecurity);
        Assert.Equal(2UL, drop.Packets);
    }

    [Fact]
    public async Task OnClose_SwitchDisconnects_HostBackToRegistered()
    {
        (SimulatedSwitch h1, _, _, _) = await TwoHostsAsync();

        await h1.DisposeAsync();

        await _controller.WaitForHostStateAsync("h1", "registered");
        Assert.Equal("connected", (await _controller.GetAsync<HostView>("/v1/hosts/h2")).State);
    }

    private async Task<(SimulatedSwitch H1, SimulatedSwitch H2, EndpointView A, EndpointView B)> TwoHostsAsync()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        await _controller.CreateEndpointAsync("b", "blue", "h2");
        EndpointView a = await _controller.SetPortAsync("a", 2);
        EndpointView b = await _controller.SetPortAsync("b", 2);
        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1);
        SimulatedSwitch h2 = await _controller.ConnectSwitchAsync(2);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.WaitForHostStateAsync("h2", "connected");
        return (h1, h2, a, b);
    }

    private async Task<IReadOnlyList<DropView>> DropsAsync() => (await _controller.GetAsync<ListResponse<DropView>>("/v1/drops")).Items;

    private static MacAddress Mac(EndpointView endpoint) => MacAddress.Parse(endpoint.Mac);

    private static Ipv4Address Ip(EndpointView endpoint) => Ipv4Address.Parse(endpoint.Ip);

    private static void AssertAddresses(byte[] frame, MacAddress source, MacAddress destination, Ipv4Address sourceIp, Ipv4Address destinationIp)
    {
        Assert.True(EthernetFrame.TryParse(frame, out EthernetFrame ethernet));
        Assert.True(Ipv4View.TryParse(ethernet.Payload, out Ipv4View ipv4));
        Assert.Equal((source, destination, sourceIp, destinationIp), (ethernet.Source, ethernet.Destination, ipv4.Source, ipv4.Destination));
    }
}
