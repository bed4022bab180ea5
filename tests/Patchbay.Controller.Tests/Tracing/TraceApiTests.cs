// GET /v1/trace in process, over simulated switches (SwitchModel behind real OpenFlow sessions): the trace reads
// each switch's flow table as the controller would, so what it reports is checked against what the packets did
// in the simulated switches: delivered cross-host with the rewrites the fabric saw, same host, the first packet
// to the controller followed through the planned flows (and nothing installed by the trace), a denial naming its
// rule and group, a disconnect, an unknown destination, a host that is not connected, and refused parameters.
using System.Globalization;
using System.Net;
using Patchbay.Controller.Tests.Api;
using Patchbay.Controller.Tests.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Planning;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Tracing;

public sealed class TraceApiTests : IAsyncLifetime
{
    private const uint Uplink = 1;

    private const string DenyDatabase = """
        groups:
          - name: web
            tenant: t1
            selector:
              matchLabels: {app: web}
          - name: db
            tenant: t1
            selector:
              matchLabels: {app: db}
        rules:
          - name: no-web-to-db-ssh
            tenant: t1
            appliesTo: db
            direction: ingress
            peers:
              - group: web
            protocol: tcp
            ports: ["22"]
            action: deny
            priority: 50
        """;

    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() => _controller = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Trace_CrossHostAfterPing_DeliveredWithTheRewritesOnTheWireAndTheSwitchesCounters()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        PacketForwarded onFabric = await PingAsync(h1, h2, a, b);
        ulong cookie = Cookies.Of(FlowKind.Conversation, ulong.Parse(Assert.Single((await ConversationsAsync()).Items).Id, CultureInfo.InvariantCulture));

        TraceView trace = await TraceAsync("a", "b");

        Assert.Equal(("allow", "sameNetwork", "direct"), (trace.Verdict, trace.Decision.Reason, trace.Mode));
        Assert.Equal($"0x{cookie:x16}", trace.Conversation?.Cookie);
        Assert.Equal(("delivered", "b", "h2", 2u, false), (trace.Result.Outcome, trace.Result.Endpoint, trace.Result.Host, trace.Result.Port, trace.Result.Planned));
        Assert.Equal(["h1", "h2"], trace.Hops.Select(h => h.Host));
        TraceHopView first = trace.Hops[0];
        Assert.Equal(("installed", 2u, "endpoint a", "output", Uplink, "uplink"), (first.Stage, first.InPort, first.InPortName, first.Outcome, first.OutPort, first.OutPortName));
        Assert.True(EthernetFrame.TryParse(onFabric.Frame, out EthernetFrame wire));
        Assert.Contains(new TraceRewriteView("eth_src", a.Mac, wire.Source.ToString()), first.Rewrites);
        Assert.Contains(new TraceRewriteView("eth_dst", b.Mac, wire.Destination.ToString()), first.Rewrites);
        TraceHopView second = trace.Hops[1];
        Assert.Equal(("uplink", "output", 2u, "endpoint b"), (second.InPortName, second.Outcome, second.OutPort, second.OutPortName));
        Assert.Contains(new TraceRewriteView("eth_src", wire.Source.ToString(), a.Mac), second.Rewrites);
        Assert.Contains(new TraceRewriteView("eth_dst", wire.Destination.ToString(), b.Mac), second.Rewrites);

        // The conversation's flows on both switches, with exactly the counters the switches hold.
        foreach ((TraceHopView hop, SimulatedSwitch sw) in new[] { (first, h1), (second, h2) })
        {
            TraceFlowView flow = Assert.Single(hop.Flows, f => f.Cookie == $"0x{cookie:x16}");
            FlowEntry real = sw.WithModel(m => m.DumpFlows().Single(f => f.Cookie == cookie && f.TableId == flow.Table));
            Assert.Equal((real.PacketCount, real.ByteCount), (flow.Packets, flow.Bytes));
            Assert.True(flow.Packets >= 2, $"the ping's packets are counted on {hop.Host}: {flow}");
            Assert.False(flow.Planned);
            Assert.StartsWith("conversation ", flow.Owner, StringComparison.Ordinal);
        }

        Assert.Equal(["classify", "egress"], first.Flows.Select(f => f.TableName));
        Assert.Equal(["classify", "ingress", "deliver"], second.Flows.Select(f => f.TableName));
    }

    [Fact]
    public async Task Trace_NoConversationYet_FirstPacketToControllerThenThePlannedFlowsDeliverAndNothingIsInstalled()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b) = await TwoHostsAsync();
        int h1Flows = h1.WithModel(m => m.FlowCount);
        int h2Flows = h2.WithModel(m => m.FlowCount);

        TraceView trace = await TraceAsync("b", "a", "tcp", 80);

        Assert.Equal(["installed", "planned", "planned"], trace.Hops.Select(h => h.Stage));
        Assert.Equal(("h2", "controller"), (trace.Hops[0].Host, trace.Hops[0].Outcome));
        Assert.Contains("first packet to controller", trace.Hops[0].Reason, StringComparison.Ordinal);
        Assert.Equal(("delivered", "a", true), (trace.Result.Outcome, trace.Result.Endpoint, trace.Result.Planned));
        Assert.Null(trace.Conversation);
        Assert.Equal("direct", trace.Mode);
        TraceFlowView plannedEgress = Assert.Single(trace.Hops[1].Flows, f => f.Planned);
        Assert.Equal(("egress", null), (plannedEgress.TableName, plannedEgress.Packets));
        Assert.Contains("output:1", plannedEgress.Actions, StringComparison.Ordinal);
        Assert.Equal(["classify", "ingress", "deliver"], trace.Hops[2].Flows.Select(f => f.TableName));
        Assert.True(trace.Hops[2].Flows.Single(f => f.TableName == "ingress").Planned);
        Assert.Equal(new TracePacketView(b.Mac, a.Mac, b.Ip, a.Ip, "tcp", 40000, 80, trace.Packet.Length), trace.Packet);

        Assert.Equal((h1Flows, h2Flows), (h1.WithModel(m => m.FlowCount), h2.WithModel(m => m.FlowCount)));
        Assert.DoesNotContain(h1.Messages.Concat(h2.Messages), r => r.Message is FlowMod { Command: not FlowModCommand.Add } or PacketOut);
        Assert.Empty((await ConversationsAsync()).Items);
    }

    [Fact]
    public async Task Trace_SameHost_DeliveredThroughDeliverOnOneSwitch()
    {
        (SimulatedSwitch h1, _, EndpointView a, _) = await TwoHostsAsync();
        EndpointView c = await _controller.CreateEndpointAsync("c", "blue", "h1");
        await _controller.SetPortAsync("c", 3);
        await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(c), Ip(a), Ip(c)), 1, 1, "x"u8));
        await h1.WaitForAsync<PacketOut>();

        TraceView trace = await TraceAsync("a", "c");

        TraceHopView hop = Assert.Single(trace.Hops);
        Assert.Equal(["classify", "egress", "deliver"], hop.Flows.Select(f => f.TableName));
        Assert.DoesNotContain(hop.Rewrites, r => r.Field.StartsWith("eth", StringComparison.Ordinal));
        Assert.Equal(("delivered", "c", "h1", 3u), (trace.Result.Outcome, trace.Result.Endpoint, trace.Result.Host, trace.Result.Port));
    }

    [Fact]
    public async Task Trace_DeniedByRule_PlannedDropFlowAtTheSourceNamesTheRuleAndGroup()
    {
        (_, _, _, _) = await TwoHostsAsync();
        await LabelAsync("a", "web");
        await LabelAsync("b", "db");
        await _controller.SendJsonAsync(HttpMethod.Post, "/v1/policy/apply?file=p.yaml", DenyDatabase, "application/yaml");

        TraceView trace = await TraceAsync("a", "b", "tcp", 22);

        Assert.Equal(("deny", "rule", "no-web-to-db-ssh", "db", 50), (trace.Verdict, trace.Decision.Reason, trace.Decision.Rule, trace.Decision.Group, trace.Decision.Priority));
        Assert.Equal(("dropped", "h1", (byte?)20, true), (trace.Result.Outcome, trace.Result.Host, trace.Result.Table, trace.Result.Planned));
        Assert.Equal("denied by rule no-web-to-db-ssh of group db (priority 50)", trace.Result.Reason);
        TraceHopView planned = trace.Hops[^1];
        Assert.Equal(("planned", "dropped"), (planned.Stage, planned.Outcome));
        TraceFlowView drop = planned.Flows[^1];
        Assert.Equal(("egress", "drop", true), (drop.TableName, drop.Actions, drop.Planned));
        Assert.Contains("tcp_dst=22", drop.Match, StringComparison.Ordinal);

        TraceView web = await TraceAsync("a", "b", "tcp", 80);
        Assert.Equal(("allow", "delivered"), (web.Verdict, web.Result.Outcome));
    }

    [Fact]
    public async Task Trace_AfterADeniedFirstPacket_TheInstalledDropFlowDropsItWithItsCounter()
    {
        (SimulatedSwitch h1, _, EndpointView a, EndpointView b) = await TwoHostsAsync();
        await LabelAsync("a", "web");
        await LabelAsync("b", "db");
        await _controller.SendJsonAsync(HttpMethod.Post, "/v1/policy/apply?file=p.yaml", DenyDatabase, "application/yaml");
        byte[] ssh = FrameBuilder.Tcp(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 40000, 22, TcpFlags.Syn);
        await h1.InjectAsync(2, ssh);
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(h1.WithModel(m => m.DumpFlows().Any(f => f.TableId == 20 && f.Instructions.Count == 0 && Cookies.KindOf(f.Cookie) == FlowKind.Conversation))), "the denial's drop flow is on h1");
        PipelineResult dropped = await h1.InjectAsync(2, ssh);
        Assert.True(dropped.IsDropped);

        TraceView trace = await TraceAsync("a", "b", "tcp", 22);

        TraceHopView hop = Assert.Single(trace.Hops);
        Assert.Equal(("installed", "dropped"), (hop.Stage, hop.Outcome));
        TraceFlowView drop = hop.Flows[^1];
        Assert.Equal(("egress", "drop", false, 1UL), (drop.TableName, drop.Actions, drop.Planned, drop.Packets));
        Assert.Equal(("dropped", false, "denied by rule no-web-to-db-ssh of group db (priority 50)"), (trace.Result.Outcome, trace.Result.Planned, trace.Result.Reason));
    }

    [Fact]
    public async Task Trace_Disconnected_DroppedByTheConnection()
    {
        await TwoHostsAsync();
        HttpResponseMessage disconnect = await _controller.PostAsync("/v1/disconnect", new ConnectionRequest(new ConnectionTargetView(Endpoint: "a"), new ConnectionTargetView(Endpoint: "b"), Name: "ab"));
        Assert.True(disconnect.IsSuccessStatusCode, await disconnect.Content.ReadAsStringAsync());

        TraceView trace = await TraceAsync("a", "b");

        Assert.Equal(("deny", "disconnected", "ab"), (trace.Verdict, trace.Decision.Reason, trace.Decision.Connection));
        Assert.Equal(("dropped", "disconnected by connection ab"), (trace.Result.Outcome, trace.Result.Reason));
    }

    [Fact]
    public async Task Trace_AddressNoEndpointHas_DroppedByTheControllerSayingSo()
    {
        await TwoHostsAsync();

        TraceView trace = await TraceAsync("a", "10.1.0.99");

        Assert.Null(trace.Destination.Name);
        Assert.Equal(("deny", "noEndpoint"), (trace.Verdict, trace.Decision.Reason));
        Assert.Equal(("dropped", "no-route"), (trace.Result.Outcome, trace.Result.Reason));
        Assert.Contains("no endpoint has 10.1.0.99 in network blue", trace.Result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trace_DestinationHostNotConnected_SaysSo()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        await _controller.CreateEndpointAsync("b", "blue", "h2");
        await _controller.SetPortAsync("a", 2);
        await _controller.SetPortAsync("b", 2);
        await _controller.ConnectSwitchAsync(1);
        await _controller.WaitForHostStateAsync("h1", "connected");

        TraceView toB = await TraceAsync("a", "b");
        TraceView fromB = await TraceAsync("b", "a");

        Assert.Equal(("h2", false, "notConnected"), (toB.Hops[^1].Host, toB.Hops[^1].Connected, toB.Hops[^1].Outcome));
        Assert.Contains("host h2 not connected", toB.Result.Summary, StringComparison.Ordinal);
        TraceHopView source = Assert.Single(fromB.Hops);
        Assert.False(source.Connected);
        Assert.Equal(("unknown", "host-not-connected"), (fromB.Result.Outcome, fromB.Result.Reason));
    }

    [Theory]
    [InlineData("/v1/trace?source=nobody&destination=b", HttpStatusCode.NotFound)]
    [InlineData("/v1/trace?source=a&destination=nobody", HttpStatusCode.NotFound)]
    [InlineData("/v1/trace?source=a&destination=b&protocol=sctp&port=1", HttpStatusCode.BadRequest)]
    [InlineData("/v1/trace?source=a&destination=b&protocol=icmp&port=80", HttpStatusCode.BadRequest)]
    [InlineData("/v1/trace?source=a&destination=b&protocol=udp", HttpStatusCode.BadRequest)]
    [InlineData("/v1/trace?source=a&destination=b&bogus=1", HttpStatusCode.BadRequest)]
    [InlineData("/v1/trace?destination=b", HttpStatusCode.BadRequest)]
    public async Task Trace_BadRequest_AnswersAProblem(string path, HttpStatusCode status)
    {
        await TwoHostsAsync();

        HttpResponseMessage response = await _controller.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
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

    /// <summary>A ping from a to b: the first packet sets the conversation up, the second goes through its flows on both switches.</summary>
    private static async Task<PacketForwarded> PingAsync(SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b)
    {
        byte[] ping = FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "hello"u8);
        await h1.InjectAsync(2, ping);
        Received packetOut = await h1.WaitForAsync<PacketOut>();
        await h2.InjectAsync(Uplink, packetOut.PacketOutResult!.SingleOutput.Frame);
        PipelineResult again = await h1.InjectAsync(2, ping);
        Assert.Empty(again.ToController);
        PipelineResult delivered = await h2.InjectAsync(Uplink, again.SingleOutput.Frame);
        Assert.Equal(2u, delivered.SingleOutput.Port);
        return again.SingleOutput;
    }

    private async Task LabelAsync(string endpoint, string app)
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Patch, $"/v1/endpoints/{endpoint}", "{\"labels\": {\"app\": \"" + app + "\"}}", "application/merge-patch+json");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<ListResponse<ConversationView>> ConversationsAsync() => _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active");

    private async Task<TraceView> TraceAsync(string source, string destination, string? protocol = null, int? port = null)
    {
        HttpResponseMessage response = await _controller.Client.GetAsync($"/v1/trace?source={source}&destination={destination}{(protocol is null ? "" : "&protocol=" + protocol)}{(port is null ? "" : "&port=" + port)}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"trace answered {(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize(text, TraceJsonContext.Default.TraceView)!;
    }

    private static MacAddress Mac(EndpointView endpoint) => MacAddress.Parse(endpoint.Mac);

    private static Ipv4Address Ip(EndpointView endpoint) => Ipv4Address.Parse(endpoint.Ip);
}
