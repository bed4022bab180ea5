// The policy enforced by the real controller at the first packet, over simulated switches: with ssh to the web
// group denied and everything else allowed, tcp/80 gets a protocol + port conversation (delivered, the reply
// from 80 back) while tcp/22 gets no PACKET_OUT but a drop flow on the source switch, counted in the recent
// drops with the rule that denied it (first packet, then the drop flow's packets when it leaves the switch).
// LiveDecisions carries both for the live-policy enforcer, EndAsync ends either kind, and a switch that
// reconnects keeps a live denial's drop flow.
using System.Net;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class PolicyEnforcementRouteTests : IAsyncLifetime
{
    private const uint Uplink = 1;
    private const uint Port = 2;

    private const string NoSsh = """
        groups:
          - name: web
            tenant: t1
            selector:
              matchLabels: {app: web}
        rules:
          - name: no-ssh
            tenant: t1
            appliesTo: web
            direction: ingress
            peers: [{tenant: t1}]
            protocol: tcp
            ports: ["22"]
            action: deny
            priority: 10
        """;

    private ControllerHarness _controller = null!;
    private SimulatedSwitch _h1 = null!;
    private SimulatedSwitch _h2 = null!;
    private EndpointView _client = null!;
    private EndpointView _server = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.CreateNetworkAsync("blue", "10.1.0.0/24", "t1");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        await _controller.State.CreateEndpointAsync(new EndpointRequest("client", "blue", "h1", null, null, null, new Dictionary<string, string> { ["app"] = "client" }));
        await _controller.State.CreateEndpointAsync(new EndpointRequest("server", "blue", "h2", null, null, null, new Dictionary<string, string> { ["app"] = "web" }));
        _client = await _controller.SetPortAsync("client", Port);
        _server = await _controller.SetPortAsync("server", Port);
        _h1 = await _controller.ConnectSwitchAsync(1);
        _h2 = await _controller.ConnectSwitchAsync(2);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.WaitForHostStateAsync("h2", "connected");
        HttpResponseMessage applied = await Api.ApiAssert.SendJsonAsync(_controller, HttpMethod.Post, "/v1/policy/apply?file=policy.yaml", NoSsh, "application/yaml");
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    private ConversationTracker Tracker => (ConversationTracker)_controller.App.Services.GetService(typeof(ConversationTracker))!;

    [Fact]
    public async Task FirstPacket_PortAllowed_ProtocolPortConversationDeliveredAndTheReplyComesBack()
    {
        byte[] syn = Tcp(_client, _server, 40000, 80);

        await _h1.InjectAsync(Port, syn);
        Received sent = await _h1.WaitForAsync<PacketOut>();
        PipelineResult atServer = await _h2.InjectAsync(Uplink, sent.PacketOutResult!.SingleOutput.Frame);
        PipelineResult reply = await _h2.InjectAsync(Port, Tcp(_server, _client, 80, 40000));
        PipelineResult atClient = await _h1.InjectAsync(Uplink, reply.SingleOutput.Frame);

        Assert.Equal(Port, atServer.SingleOutput.Port);
        Assert.Equal(syn, atServer.SingleOutput.Frame);
        Assert.Empty(reply.ToController);
        Assert.Equal(Port, atClient.SingleOutput.Port);
        ConversationView conversation = Assert.Single((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items);
        Assert.Equal(("client", "server", "tcp/80", "same-network"), (conversation.Source, conversation.Destination, conversation.Protocol, conversation.Reason));
        LiveDecision decision = Assert.Single(Tracker.LiveDecisions());
        Assert.Equal((IpProtocol.Tcp, (ushort)80, PolicyVerdict.Allow, PolicyGranularity.ProtocolPort), (decision.IpProtocol, decision.DestinationPort, decision.Verdict, decision.Granularity));
        Assert.Equal(["h1", "h2"], decision.Hosts.Order());
    }

    [Fact]
    public async Task FirstPacket_PortDenied_NoPacketOutDropFlowAtSourceCountedWithTheRule()
    {
        byte[] ssh = Tcp(_client, _server, 40001, 22);

        PipelineResult first = await _h1.InjectAsync(Port, ssh);
        Received denial = await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Add && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        await _h1.WaitForAsync(r => r.Message is BarrierRequest && r.Sequence > denial.Sequence);
        PipelineResult again = await _h1.InjectAsync(Port, ssh);

        Assert.Single(first.ToController);
        Assert.True(again.IsDropped);
        Assert.Empty(again.ToController);
        Assert.DoesNotContain(_h1.Messages, r => r.Message is PacketOut);
        Assert.DoesNotContain(_h2.Messages, r => r.Message is FlowMod { Command: FlowModCommand.Add } f && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        RecentDropView drop = Assert.Single(await RecentDropsAsync());
        Assert.Equal(("client", "server", "tcp/22", "rule", "no-ssh", "h1", 1UL), (drop.Source, drop.Destination, drop.Protocol, drop.Reason, drop.Rule, drop.Host, drop.Packets));
        LiveDecision decision = Assert.Single(Tracker.LiveDecisions());
        Assert.Equal((PolicyVerdict.Deny, "no-ssh", (ushort)22), (decision.Verdict, decision.Rule, decision.DestinationPort));
        Assert.Equal(["h1"], decision.Hosts);
        Assert.Empty((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations")).Items);
    }

    [Fact]
    public async Task EndAsync_Denial_DropFlowDeletedItsPacketsAddedToTheRecentDropAndTheNextPacketDecidedAgain()
    {
        byte[] ssh = Tcp(_client, _server, 40001, 22);
        await _h1.InjectAsync(Port, ssh);
        Received installed = await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Add && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        await _h1.WaitForAsync(r => r.Message is BarrierRequest && r.Sequence > installed.Sequence);
        await _h1.InjectAsync(Port, ssh);
        await _h1.InjectAsync(Port, ssh);
        ulong id = Assert.Single(Tracker.LiveDecisions()).Id;

        Assert.True(await Tracker.EndAsync(id, "test", CancellationToken.None));

        await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == Cookies.Of(FlowKind.Conversation, id));
        await ControllerHarness.EventuallyAsync(async () => Assert.Single(await RecentDropsAsync()).Packets == 3, "the drop flow's 2 packets are added to the first one");
        Assert.Empty(Tracker.LiveDecisions());
        Assert.Single((await _h1.InjectAsync(Port, ssh)).ToController);
    }

    [Fact]
    public async Task FirstPacket_DeniedTwiceBeforeItsDropFlow_OneDenialBothPacketsCounted()
    {
        byte[] ssh = Tcp(_client, _server, 40001, 22);

        await Task.WhenAll(_h1.InjectAsync(Port, ssh), _h1.InjectAsync(Port, ssh));
        Received installed = await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Add && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        await _h1.WaitForAsync(r => r.Message is BarrierRequest && r.Sequence > installed.Sequence);

        // Each packet was dropped either by the controller (counted at once) or by the drop flow (counted on the switch).
        await ControllerHarness.EventuallyAsync(
            async () => Assert.Single(await RecentDropsAsync()).Packets + DropFlowPackets(_h1) == 2,
            "both packets are counted once");
        Assert.Single(_h1.Messages, r => r.Message is FlowMod { Command: FlowModCommand.Add } f && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        Assert.Single(Tracker.LiveDecisions());
        Assert.DoesNotContain(_h1.Messages, r => r.Message is PacketOut);
    }

    [Fact]
    public async Task FirstPacket_TwoPortsOfOnePair_TwoConversations()
    {
        await _h1.InjectAsync(Port, Tcp(_client, _server, 40000, 80));
        await _h1.WaitForAsync<PacketOut>();
        await _h1.InjectAsync(Port, Tcp(_client, _server, 40002, 443));
        await _h1.WaitForAsync<PacketOut>(p => TcpDestination(p.Data.Span) == 443);

        Assert.Equal(["tcp/443", "tcp/80"], (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items.Select(c => c.Protocol!).Order());
    }

    [Fact]
    public async Task Reconnect_SwitchHoldingALiveDenial_DropFlowKeptAndTheDenialStillLive()
    {
        await _h1.InjectAsync(Port, Tcp(_client, _server, 40001, 22));
        Received installed = await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Add && Cookies.KindOf(f.Cookie) == FlowKind.Conversation);
        await _h1.WaitForAsync(r => r.Message is BarrierRequest && r.Sequence > installed.Sequence);
        ulong cookie = ((FlowMod)installed.Message).Cookie;

        // Only a denial whose setup finished is kept: a switch gone before its barrier reply fails the setup.
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(Tracker.LiveDecisions() is [{ Installed: true }]), "the denial's drop flow is installed");
        SwitchModel model = _h1.Model;
        await _h1.DisposeAsync();
        await _controller.WaitForHostStateAsync("h1", "registered");

        SimulatedSwitch again = await _controller.ConnectSwitchAsync(1, model);
        await _controller.WaitForHostStateAsync("h1", "connected");

        Assert.Contains(again.WithModel(m => m.DumpFlows()), f => f.Cookie == cookie);
        Assert.DoesNotContain(again.Messages, r => r.Message is FlowMod { Command: FlowModCommand.Delete or FlowModCommand.DeleteStrict } f && f.Cookie == cookie);
        Assert.Equal(Cookies.IdOf(cookie), Assert.Single(Tracker.LiveDecisions()).Id);
    }

    private async Task<IReadOnlyList<RecentDropView>> RecentDropsAsync() =>
        (await _controller.GetAsync<ListResponse<RecentDropView>>("/v1/drops/recent")).Items;

    private static ulong DropFlowPackets(SimulatedSwitch simulated) =>
        simulated.WithModel(m => m.DumpFlows().Where(f => DropReasons.Of(f.ToFlowStats()) == DropReasons.Denied).Sum(f => (long)f.PacketCount)) is long sum ? (ulong)sum : 0;

    private static ushort TcpDestination(ReadOnlySpan<byte> frame) =>
        Ipv4View.TryParseFrame(frame, out _, out Ipv4View ip) && TcpView.TryParse(ip.Payload, out TcpView tcp) ? tcp.DestinationPort : (ushort)0;

    private static byte[] Tcp(EndpointView from, EndpointView to, ushort sourcePort, ushort destinationPort) =>
        FrameBuilder.Tcp(
            new FrameAddresses(MacAddress.Parse(from.Mac), MacAddress.Parse(to.Mac), Ipv4Address.Parse(from.Ip), Ipv4Address.Parse(to.Ip)),
            sourcePort,
            destinationPort,
            TcpFlags.Syn);
}
