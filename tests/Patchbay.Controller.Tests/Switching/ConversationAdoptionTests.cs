// A controller restart as the switches see it: a fresh controller (the model restored, no conversations) and
// switches that kept their meters and flows. What is still right must be left untouched (no FLOW_MOD, no
// METER_MOD), conversations still right are adopted with their id and cookie, and what is wrong is fixed or
// deleted on every switch. Also the lifecycle race of an idle expiry that reaches one switch before the other.
using Patchbay.Core.Api;
using Patchbay.Core.Model;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class ConversationAdoptionTests : IAsyncLifetime
{
    private const uint Uplink = 1;

    // The conversation id the switches carry from before the restart; the restarted in-memory state would hand
    // out 1 next, so adopting it proves the id is skipped.
    private const ulong KeptId = 1;

    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        await _controller.CreateEndpointAsync("b", "blue", "h2");
        await _controller.CreateEndpointAsync("c", "blue", "h1");
        await _controller.SetPortAsync("a", 2);
        await _controller.SetPortAsync("b", 2);
        await _controller.SetPortAsync("c", 3);
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task OnConnect_SwitchesHoldingARightConversation_NothingSentAndConversationAdopted()
    {
        ConversationPlan kept = PlanAB(KeptId);

        // Both at once, as after a restart: one adopts the cookie, the other must find it known.
        SimulatedSwitch[] both = await Task.WhenAll(ConnectAsync(1, "h1", kept.SourceSwitch), ConnectAsync(2, "h2", kept.DestinationSwitch));
        (SimulatedSwitch h1, SimulatedSwitch h2) = (both[0], both[1]);

        // Everything the switches hold is right: not one flow or meter is touched (counters and traffic go on).
        Assert.DoesNotContain(h1.Messages, r => r.Message is FlowMod or MeterMod);
        Assert.DoesNotContain(h2.Messages, r => r.Message is FlowMod or MeterMod);
        ConversationView adopted = Assert.Single(await ConversationsAsync("active"));
        Assert.Equal(("1", $"0x{kept.Cookie:x16}", "a", "b", "active"), (adopted.Id, adopted.Cookie, adopted.Source, adopted.Destination, adopted.State));

        // Its flows forward as before, with no PACKET_IN.
        PipelineResult sent = await h1.InjectAsync(2, Echo("a", "b"));
        Assert.Empty(sent.ToController);
        PipelineResult delivered = await h2.InjectAsync(Uplink, sent.SingleOutput.Frame);
        Assert.Equal(2u, delivered.SingleOutput.Port);

        // A new conversation gets a new id, not the adopted one.
        await h1.InjectAsync(2, Echo("a", "c"));
        await h1.WaitForAsync<PacketOut>();
        ConversationView fresh = Assert.Single(await ConversationsAsync("active"), c => c.Destination == "c");
        Assert.NotEqual(adopted.Id, fresh.Id);

        // Idle expiry ends the adopted conversation like any other: its flows go from both switches.
        await h2.ExpireAsync(TimeSpan.FromSeconds(11));
        await h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == kept.Cookie && f.CookieMask == ulong.MaxValue);
        Assert.Equal("ended", Assert.Single(await ConversationsAsync(null), c => c.Id == adopted.Id).State);
        Assert.DoesNotContain(h1.WithModel(m => m.DumpFlows()), f => f.Cookie == kept.Cookie);
    }

    [Fact]
    public async Task OnConnect_SwitchHoldingAWrongConversation_DeletedThereAndOnTheOtherSwitchNeverAdopted()
    {
        ConversationPlan plan = PlanAB(KeptId);
        FlowMod[] wrong = [plan.SourceSwitch[0] with { IdleTimeout = 99 }, plan.SourceSwitch[1]];

        SimulatedSwitch h1 = await ConnectAsync(1, "h1", wrong);
        SimulatedSwitch h2 = await ConnectAsync(2, "h2", plan.DestinationSwitch);

        // h1's copy differs from the plan: retired, so h2's (right) half is deleted too when h2 connects.
        Assert.Equal(2, h1.Messages.Count(r => r.Message is FlowMod { Command: FlowModCommand.DeleteStrict } f && f.Cookie == plan.Cookie));
        Assert.Equal(2, h2.Messages.Count(r => r.Message is FlowMod { Command: FlowModCommand.DeleteStrict } f && f.Cookie == plan.Cookie));
        Assert.DoesNotContain(h1.WithModel(m => m.DumpFlows()), f => f.Cookie == plan.Cookie);
        Assert.DoesNotContain(h2.WithModel(m => m.DumpFlows()), f => f.Cookie == plan.Cookie);
        Assert.Empty(await ConversationsAsync("active"));

        // The pair's next packet is a first packet: a new conversation with a new id, delivered.
        await h1.InjectAsync(2, Echo("a", "b"));
        Received packetOut = await h1.WaitForAsync<PacketOut>();
        PipelineResult delivered = await h2.InjectAsync(Uplink, packetOut.PacketOutResult!.SingleOutput.Frame);
        Assert.Equal(2u, delivered.SingleOutput.Port);
        Assert.NotEqual(KeptId.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(await ConversationsAsync("active")).Id);
    }

    [Fact]
    public async Task OnConnect_RetiredWhileTheOtherSwitchIsConnected_DeletedThereByCookie()
    {
        ConversationPlan plan = PlanAB(KeptId);
        SimulatedSwitch h2 = await ConnectAsync(2, "h2", []);
        Assert.DoesNotContain(h2.WithModel(m => m.DumpFlows()), f => f.Cookie == plan.Cookie);

        // h1 holds only half of its side: not the plan, so retired, and h2 hears the delete by cookie at once.
        SimulatedSwitch h1 = await ConnectAsync(1, "h1", [plan.SourceSwitch[0]]);

        await h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == plan.Cookie && f.CookieMask == ulong.MaxValue);
        Assert.DoesNotContain(h1.WithModel(m => m.DumpFlows()), f => f.Cookie == plan.Cookie);
        Assert.Empty(await ConversationsAsync("active"));
    }

    [Fact]
    public async Task OnConnect_ConversationOfAnUnknownAddress_Deleted()
    {
        Endpoint a = _controller.State.FindEndpoint("a")!;
        Network blue = _controller.State.FindNetwork("blue")!;
        FlowMod stray = _controller.Planner.PlanDenial(7, a, blue, Ipv4Address.Parse("10.1.0.99"));

        SimulatedSwitch h1 = await ConnectAsync(1, "h1", [stray]);

        Assert.Single(h1.Messages, r => r.Message is FlowMod { Command: FlowModCommand.DeleteStrict } f && f.Cookie == stray.Cookie);
        Assert.Empty(await ConversationsAsync("active"));
    }

    [Fact]
    public async Task OnConnect_KnownConversationMissingFromTheSwitch_FlowsPutBack()
    {
        ConversationPlan plan = PlanAB(KeptId);
        SimulatedSwitch h2 = await ConnectAsync(2, "h2", plan.DestinationSwitch);
        Assert.Single(await ConversationsAsync("active"));

        // h1 lost its half (say its ovs-vswitchd restarted): the live conversation's flows are added again.
        SimulatedSwitch h1 = await ConnectAsync(1, "h1", []);

        Assert.Equal(2, h1.Messages.Count(r => r.Message is FlowMod { Command: FlowModCommand.Add } f && f.Cookie == plan.Cookie));
        Assert.DoesNotContain(h2.Messages, r => r.Message is FlowMod);
        PipelineResult sent = await h1.InjectAsync(2, Echo("a", "b"));
        Assert.Empty(sent.ToController);
        Assert.Equal(Uplink, sent.SingleOutput.Port);
    }

    [Fact]
    public async Task OnConnect_MetersRightWrongAndStray_OnlyTheWrongModifiedAndTheStrayDeletedFlowsKept()
    {
        Endpoint a = _controller.State.FindEndpoint("a")!;
        Endpoint c = _controller.State.FindEndpoint("c")!;
        SwitchModel model = Preloaded(1, "h1", []);
        model.Apply(new MeterMod(MeterModCommand.Modify, MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, c.OfPort!.Value, [new MeterBandDrop(5, 5)]));
        model.Apply(new MeterMod(MeterModCommand.Add, MeterFlags.Pktps | MeterFlags.Burst | MeterFlags.Stats, 9, [new MeterBandDrop(5, 5)]));
        int flows = model.FlowCount;

        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1, model);
        await _controller.WaitForHostStateAsync("h1", "connected");

        MeterMod[] meters = [.. h1.Messages.Select(r => r.Message).OfType<MeterMod>()];
        Assert.Equal([(MeterModCommand.Modify, c.OfPort!.Value), (MeterModCommand.Delete, 9u)], meters.Select(m => (m.Command, m.MeterId)));
        Assert.DoesNotContain(h1.Messages, r => r.Message is FlowMod);
        Assert.Equal(flows, h1.WithModel(m => m.FlowCount));
        Assert.Equal([a.OfPort!.Value, c.OfPort.Value], h1.WithModel(m => m.DumpMeters()).Select(m => m.MeterId));
        Assert.Equal(_controller.Planner.EndpointMeter(c, MeterModCommand.Add).Bands, h1.WithModel(m => m.DumpMeters())[1].Bands);
    }

    [Fact]
    public async Task FlowRemoved_OneSwitchExpiresFirstAndThePairStartsAgainAtOnce_NewConversationIntactOnBoth()
    {
        SimulatedSwitch h1 = await ConnectAsync(1, "h1", []);
        SimulatedSwitch h2 = await ConnectAsync(2, "h2", []);
        await h1.InjectAsync(2, Echo("a", "b"));
        await h1.WaitForAsync<PacketOut>();
        ulong first = Convert.ToUInt64(Assert.Single(await ConversationsAsync("active")).Cookie, 16);

        // Only h1's flows expire; h2 still holds the old conversation when the next first packet arrives.
        await h1.ExpireAsync(TimeSpan.FromSeconds(11));
        await h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == first);
        long before = h1.Messages[^1].Sequence;
        await h1.InjectAsync(2, Echo("a", "b"));
        await h1.WaitForAsync(r => r.Message is PacketOut && r.Sequence > before);
        ulong second = Convert.ToUInt64(Assert.Single(await ConversationsAsync("active")).Cookie, 16);

        Assert.NotEqual(first, second);
        Assert.Equal(2, h1.WithModel(m => m.DumpFlows().Count(f => f.Cookie == second)));
        Assert.Equal(2, h2.WithModel(m => m.DumpFlows().Count(f => f.Cookie == second)));
        Assert.DoesNotContain(h2.WithModel(m => m.DumpFlows()), f => f.Cookie == first);
        PipelineResult sent = await h1.InjectAsync(2, Echo("a", "b"));
        Assert.Empty(sent.ToController);
        Assert.Equal(2u, (await h2.InjectAsync(Uplink, sent.SingleOutput.Frame)).SingleOutput.Port);
    }

    private ConversationPlan PlanAB(ulong id) => _controller.Planner.PlanConversation(
        id,
        _controller.State.FindEndpoint("a")!,
        _controller.State.FindHost("h1")!,
        _controller.State.FindEndpoint("b")!,
        _controller.State.FindHost("h2")!,
        _controller.State.FindNetwork("blue")!);

    /// <summary>Connects a switch that kept the host's meters and static flows, plus <paramref name="extra"/>, and waits until it is configured.</summary>
    private async Task<SimulatedSwitch> ConnectAsync(ulong datapathId, string host, IEnumerable<FlowMod> extra)
    {
        SimulatedSwitch simulated = await _controller.ConnectSwitchAsync(datapathId, Preloaded(datapathId, host, extra));
        await _controller.WaitForHostStateAsync(host, "connected");
        return simulated;
    }

    private SwitchModel Preloaded(ulong datapathId, string hostName, IEnumerable<FlowMod> extra)
    {
        var model = new SwitchModel(datapathId);
        Host host = _controller.State.FindHost(hostName)!;
        List<(Endpoint, Network)> local = [.. _controller.State.Endpoints(host: hostName).Select(e => (e, _controller.State.FindNetwork(e.Network)!))];
        foreach (MeterMod meter in _controller.Planner.DesiredMeters(local.Select(l => l.Item1)))
        {
            model.Apply(meter);
        }

        foreach (FlowMod flow in _controller.Planner.DesiredStaticFlows(host, local).Concat(extra))
        {
            model.Apply(flow);
        }

        return model;
    }

    private byte[] Echo(string from, string to)
    {
        Endpoint source = _controller.State.FindEndpoint(from)!;
        Endpoint destination = _controller.State.FindEndpoint(to)!;
        return FrameBuilder.IcmpEcho(new FrameAddresses(source.Mac, destination.Mac, source.Ip, destination.Ip), 7, 1, "hello"u8);
    }

    private async Task<IReadOnlyList<ConversationView>> ConversationsAsync(string? state) =>
        (await _controller.GetAsync<ListResponse<ConversationView>>(state is null ? "/v1/conversations" : $"/v1/conversations?state={state}")).Items;
}
