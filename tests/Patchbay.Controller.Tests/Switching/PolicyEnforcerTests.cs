// Policy changes applied to live traffic (PolicyEnforcer, docs/policy.md "Changes to live traffic"), in process
// over simulated switches: a disconnect ends exactly the conversation it denies, on both switches, before the
// API answers, and sends nothing at all for another conversation; a connect ends the denial so the next
// packet is decided afresh and delivered; a relabelled endpoint falls under a disconnect of its new group; a
// burst of changes ends each conversation once.
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Patchbay.Controller.State;
using Patchbay.Controller.Switching;
using Patchbay.Controller.Tests.Api;
using Patchbay.Core.Api;
using Patchbay.Core.Pipeline;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class PolicyEnforcerTests : IAsyncLifetime
{
    private const uint Uplink = 1;

    private ControllerHarness _controller = null!;
    private SimulatedSwitch _h1 = null!;
    private SimulatedSwitch _h2 = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        _h1 = await _controller.ConnectSwitchAsync(1);
        _h2 = await _controller.ConnectSwitchAsync(2);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.WaitForHostStateAsync("h2", "connected");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Disconnect_LiveConversation_DeletedOnBothSwitchesBeforeAnswerOtherConversationUntouched()
    {
        (EndpointView a, EndpointView b) = await PairAsync("a", "b", 2);
        (EndpointView c, EndpointView d) = await PairAsync("c", "d", 3);
        ulong ab = await StartConversationAsync(a, b, 2);
        ulong cd = await StartConversationAsync(c, d, 3);
        long mark = LastSequence();

        ConnectionView disconnected = await ConnectionAsync("/v1/disconnect", "a", "b", HttpStatusCode.Created);

        // The answer came after the enforcement pass and its barriers: no waiting here.
        Assert.Equal(1, disconnected.Revoked);
        foreach (SimulatedSwitch simulated in new[] { _h1, _h2 })
        {
            FlowMod[] sent = [.. simulated.Messages.Where(r => r.Sequence > mark).Select(r => r.Message).OfType<FlowMod>()];
            FlowMod delete = Assert.Single(sent);
            Assert.Equal((FlowModCommand.Delete, ab, ulong.MaxValue), (delete.Command, delete.Cookie, delete.CookieMask));
            Assert.Contains(simulated.Messages, r => r.Sequence > mark && r.Message is BarrierRequest);
            Assert.DoesNotContain(simulated.WithModel(m => m.DumpFlows()), f => f.Cookie == ab);
            Assert.Equal(2, simulated.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cd)));
        }

        // The untouched conversation still forwards on the switches alone.
        PipelineResult stillForwarded = await _h1.InjectAsync(3, Ping(c, d));
        Assert.Empty(stillForwarded.ToController);
        Assert.Equal(Uplink, stillForwarded.SingleOutput.Port);

        // The next packet of the disconnected pair goes to the controller again, which denies it.
        PipelineResult next = await _h1.InjectAsync(2, Ping(a, b));
        Assert.Equal(Tables.Egress, Assert.Single(next.ToController).TableId);
        await ControllerHarness.EventuallyAsync(
            () => Task.FromResult(Decisions().Any(x => x.SourceEndpointId == Id(a) && x.Verdict == PolicyVerdict.Deny && x.Reason == DecisionReason.Disconnected)),
            "the next packet of a and b is denied by the disconnect");
        Assert.DoesNotContain(_h1.Messages, r => r.Sequence > mark && r.Message is PacketOut { InPort: 2 });
    }

    [Fact]
    public async Task Connect_AfterDisconnect_EndsTheDenialAndNextPacketIsDelivered()
    {
        (EndpointView a, EndpointView b) = await PairAsync("a", "b", 2);
        await ConnectionAsync("/v1/disconnect", "a", "b", HttpStatusCode.Created);
        await _h1.InjectAsync(2, Ping(a, b));
        LiveDecision denial = null!;
        await ControllerHarness.EventuallyAsync(
            () => Task.FromResult((denial = Decisions().SingleOrDefault(x => x.Verdict == PolicyVerdict.Deny)!) is not null),
            "the first packet is denied");
        ulong denialCookie = Cookies.Of(FlowKind.Conversation, denial.Id);
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(_h1.WithModel(m => m.DumpFlows().Any(f => f.Cookie == denialCookie))), "the drop flow is on h1");

        // Installed: its barrier answered. Ended before that, the denial's setup deletes its drop flow once more itself.
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(Decisions().Single(x => x.Id == denial.Id).Installed), "the denial is installed");
        long mark = LastSequence();

        ConnectionView connected = await ConnectionAsync("/v1/connect", "a", "b", HttpStatusCode.OK);

        Assert.Equal(1, connected.Revoked);
        FlowMod delete = Assert.Single(_h1.Messages.Where(r => r.Sequence > mark).Select(r => r.Message).OfType<FlowMod>());
        Assert.Equal((FlowModCommand.Delete, denialCookie), (delete.Command, delete.Cookie));
        Assert.DoesNotContain(_h2.Messages, r => r.Sequence > mark && r.Message is FlowMod);
        Assert.Empty(Decisions());

        PipelineResult next = await _h1.InjectAsync(2, Ping(a, b));
        Assert.Equal(Tables.Egress, Assert.Single(next.ToController).TableId);
        Received sentOn = await _h1.WaitForAsync<PacketOut>(p => p.InPort == 2);
        Assert.Equal(Uplink, sentOn.PacketOutResult!.SingleOutput.Port);
        LiveDecision allowed = Assert.Single(Decisions());
        Assert.Equal((PolicyVerdict.Allow, DecisionReason.Connected), (allowed.Verdict, allowed.Reason));
    }

    [Fact]
    public async Task Relabel_EndpointJoinsDisconnectedGroup_ItsConversationEndsOthersKeepFlows()
    {
        (EndpointView a, EndpointView b) = await PairAsync("a", "b", 2);
        (EndpointView c, EndpointView d) = await PairAsync("c", "d", 3);
        await ApplyAsync("""
            groups:
              - name: quarantine
                tenant: t1
                selector:
                  matchLabels: {state: quarantined}
              - name: everyone
                tenant: t1
                selector:
                  matchExpressions:
                    - {key: state, operator: DoesNotExist}
            connections:
              - name: quarantine-off
                tenant: t1
                action: disconnect
                a: {group: quarantine}
                b: {group: everyone}
            """);
        ulong ab = await StartConversationAsync(a, b, 2);
        ulong cd = await StartConversationAsync(c, d, 3);
        long mark = LastSequence();

        HttpResponseMessage patched = await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/endpoints/a", """{"labels": {"state": "quarantined"}}""");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        await _h2.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == ab);
        await _h1.WaitForAsync<FlowMod>(f => f.Command == FlowModCommand.Delete && f.Cookie == ab);
        Assert.DoesNotContain(new[] { _h1, _h2 }.SelectMany(s => s.Messages), r => r.Sequence > mark && r.Message is FlowMod f && f.Cookie == cd);
        Assert.Equal(2, _h2.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cd)));
    }

    [Fact]
    public async Task ReverseDirectionTightened_WholePairConversationEndsOthersKeepFlows()
    {
        (EndpointView a, EndpointView b) = await PairAsync("a", "b", 2);
        (EndpointView c, EndpointView d) = await PairAsync("c", "d", 3);
        ulong ab = await StartConversationAsync(a, b, 2);
        ulong cd = await StartConversationAsync(c, d, 3);
        long mark = LastSequence();

        // a -> b stays allowed as a whole; b may no longer open ssh to a, which the whole-pair reverse flows would carry.
        await ApplyAsync($$"""
            groups:
              - name: all
                tenant: t1
            rules:
              - name: no-ssh-to-a
                tenant: t1
                appliesTo: all
                direction: egress
                peers: [{cidr: {{a.Ip}}/32}]
                protocol: tcp
                ports: [22]
                action: deny
                priority: 10
            """);

        Assert.Equal(PolicyVerdict.Allow, _controller.App.Services.GetRequiredService<IPolicyState>().CurrentPolicy.Decide(Id(a), Id(b), IpProtocol.Tcp, 22).Verdict);
        foreach (SimulatedSwitch simulated in new[] { _h1, _h2 })
        {
            FlowMod delete = Assert.Single(simulated.Messages.Where(r => r.Sequence > mark).Select(r => r.Message).OfType<FlowMod>());
            Assert.Equal((FlowModCommand.Delete, ab), (delete.Command, delete.Cookie));
            Assert.Equal(2, simulated.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cd)));
        }
    }

    [Fact]
    public async Task Burst_ManyDisconnectsAtOnce_EachConversationEndedOnceAndEveryAnswerAfterItsEnforcement()
    {
        const int Pairs = 6;
        var cookies = new ulong[Pairs];
        for (int i = 0; i < Pairs; i++)
        {
            (EndpointView s, EndpointView t) = await PairAsync($"s{i}", $"t{i}", (uint)(2 + i));
            cookies[i] = await StartConversationAsync(s, t, (uint)(2 + i));
        }

        long mark = LastSequence();
        PolicyEnforcer enforcer = _controller.App.Services.GetRequiredService<PolicyEnforcer>();
        long passesBefore = enforcer.PassCount;

        ConnectionView[] answers = await Task.WhenAll(Enumerable.Range(0, Pairs).Select(i => ConnectionAsync("/v1/disconnect", $"s{i}", $"t{i}", HttpStatusCode.Created)));

        // Each answer came after a pass that covered its change: every conversation is already gone.
        Assert.All(answers, answer => Assert.NotNull(answer.Revoked));
        foreach (SimulatedSwitch simulated in new[] { _h1, _h2 })
        {
            ulong[] deleted = [.. simulated.Messages.Where(r => r.Sequence > mark).Select(r => r.Message).OfType<FlowMod>().Select(f => f.Cookie)];
            Assert.Equal(cookies.Order(), deleted.Order());
        }

        Assert.Empty(Decisions());
        Assert.InRange(enforcer.PassCount - passesBefore, 1, 2 * Pairs);
    }

    private async Task<(EndpointView Source, EndpointView Destination)> PairAsync(string source, string destination, uint port)
    {
        await _controller.CreateEndpointAsync(source, "blue", "h1");
        await _controller.CreateEndpointAsync(destination, "blue", "h2");
        return (await _controller.SetPortAsync(source, port), await _controller.SetPortAsync(destination, port));
    }

    // The first ping from source (port on h1) to destination: set up, sent on; returns the conversation's cookie.
    private async Task<ulong> StartConversationAsync(EndpointView source, EndpointView destination, uint port)
    {
        await _h1.InjectAsync(port, Ping(source, destination));
        await _h1.WaitForAsync<PacketOut>(p => p.InPort == port);
        LiveDecision decision = Assert.Single(Decisions(), x => x.SourceEndpointId == Id(source) && x.DestinationEndpointId == Id(destination));
        Assert.Equal(PolicyVerdict.Allow, decision.Verdict);
        ulong cookie = Cookies.Of(FlowKind.Conversation, decision.Id);
        Assert.Equal(2, _h2.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cookie)));
        return cookie;
    }

    private async Task<ConnectionView> ConnectionAsync(string path, string a, string b, HttpStatusCode expected) =>
        await ControllerHarness.ReadAsync<ConnectionView>(
            await _controller.PostAsync(path, new ConnectionRequest(new ConnectionTargetView(a), new ConnectionTargetView(b))),
            expected);

    private async Task ApplyAsync(string yaml) =>
        await ControllerHarness.ReadAsync<PolicyApplyResult>(await _controller.SendJsonAsync(HttpMethod.Post, "/v1/policy/apply", yaml, "application/yaml"));

    private IReadOnlyList<LiveDecision> Decisions() => _controller.App.Services.GetRequiredService<ConversationTracker>().LiveDecisions();

    private long LastSequence() => Math.Max(_h1.Messages[^1].Sequence, _h2.Messages[^1].Sequence);

    private uint Id(EndpointView endpoint) => _controller.State.FindEndpoint(endpoint.Name)!.Id;

    private static byte[] Ping(EndpointView source, EndpointView destination) =>
        FrameBuilder.IcmpEcho(new FrameAddresses(MacAddress.Parse(source.Mac), MacAddress.Parse(destination.Mac), Ipv4Address.Parse(source.Ip), Ipv4Address.Parse(destination.Ip)), 7, 1, "ping"u8);
}
