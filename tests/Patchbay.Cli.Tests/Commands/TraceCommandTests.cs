// `patchbay trace`: the human rendering and -o json against a fake API on a unix socket that answers a fixed
// cross-host trace (and records the query the CLI sent), a problem as exit 1, and one trace against the real
// controller, whose hosts have no switch connected, so it must say the host is not connected.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Tests.Commands;

public sealed class TraceCommandTests(CliController controller) : IClassFixture<CliController>, IAsyncLifetime
{
    private const string CrossHost = """
        {
          "source": {"name": "a", "tenant": "t1", "network": "blue", "ip": "10.1.0.2", "mac": "0e:50:42:00:00:01", "host": "h1", "ofPort": 2},
          "destination": {"name": "b", "tenant": "t1", "network": "blue", "ip": "10.1.0.3", "mac": "0e:50:42:00:00:02", "host": "h2", "ofPort": 2},
          "protocol": "tcp", "port": 80, "verdict": "allow",
          "decision": {"reason": "rule", "granularity": "protocolPort", "summary": "allowed by rule web-to-db of group db (priority 100)", "rule": "web-to-db", "group": "db", "priority": 100},
          "mode": "direct",
          "conversation": {"id": "7", "cookie": "0x0300000000000007", "state": "active", "mode": "direct"},
          "packet": {"ethSrc": "0e:50:42:00:00:01", "ethDst": "0e:50:42:00:00:02", "ipSrc": "10.1.0.2", "ipDst": "10.1.0.3", "protocol": "tcp", "sourcePort": 40000, "destinationPort": 80, "length": 54},
          "hops": [
            {"host": "h1", "datapathId": "0000000000000001", "stage": "installed", "connected": true, "inPort": 2, "inPortName": "endpoint a",
             "flows": [
               {"table": 20, "tableName": "egress", "priority": 100, "cookie": "0x0300000000000007", "owner": "conversation 7 (a → b)",
                "match": "ip,ipv4_src=10.1.0.2,ipv4_dst=10.1.0.3,ip_proto=6,tcp_dst=80", "actions": "set_field:06:00:01:00:00:01->eth_src,output:1",
                "planned": false, "packets": 12, "bytes": 1176, "durationSeconds": 4.2, "idleTimeout": 10}],
             "rewrites": [{"field": "eth_src", "before": "0e:50:42:00:00:01", "after": "06:00:01:00:00:01"}],
             "outcome": "output", "outPort": 1, "outPortName": "uplink"},
            {"host": "h2", "datapathId": "0000000000000002", "stage": "installed", "connected": true, "inPort": 1, "inPortName": "uplink",
             "flows": [
               {"table": 30, "tableName": "ingress", "priority": 100, "cookie": "0x0300000000000007", "owner": "conversation 7 (a → b)",
                "match": "in_port=1,ip", "actions": "goto_table:40 (deliver)", "planned": false, "packets": 11, "bytes": 1078, "durationSeconds": 4.1}],
             "rewrites": [], "outcome": "output", "outPort": 2, "outPortName": "endpoint b"}
          ],
          "result": {"outcome": "delivered", "summary": "delivered to b (port 2 of h2) as 0e:50:42:00:00:01 → 0e:50:42:00:00:02, 10.1.0.2 → 10.1.0.3", "planned": false, "host": "h2", "port": 2, "endpoint": "b"},
          "notes": ["h1: meter 9 is not modelled; the trace lets packets through it"]
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("pb-trace-cli-").FullName;
    private readonly List<string> _queries = [];
    private WebApplication? _fake;

    private string FakeApi => "unix:" + Path.Combine(_directory, "api.sock");

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(Path.Combine(_directory, "api.sock")));
        _fake = builder.Build();
        _fake.MapGet("/v1/trace", (HttpRequest request) =>
        {
            lock (_queries)
            {
                _queries.Add(request.QueryString.Value ?? "");
            }

            return request.Query["source"] == "nobody"
                ? Results.Problem(statusCode: 404, title: "endpoint not found", detail: "endpoint 'nobody' does not exist")
                : Results.Text(CrossHost, "application/json");
        });
        await _fake.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.StopAsync();
            await _fake.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Trace_Table_VerdictDecisionModeThenEachSwitchsFlowsRewritesAndTheResult()
    {
        var result = await RunFakeAsync("trace", "a", "b", "--port", "80");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        string[] lines = result.Output.Split('\n');
        Assert.Equal("Trace        a (10.1.0.2 on h1) → b (10.1.0.3 on h2), tcp/80", lines[0]);
        Assert.Contains("Verdict      ALLOW", lines);
        Assert.Contains("Decided by   allowed by rule web-to-db of group db (priority 100) [flows match protocol + port]", lines);
        Assert.Contains("Mode         direct", lines);
        Assert.Contains("Conversation 7 (cookie 0x0300000000000007, active)", lines);
        int h1 = Array.IndexOf(lines, "h1 (datapath 0000000000000001), in on port 2 (endpoint a)");
        int h2 = Array.IndexOf(lines, "h2 (datapath 0000000000000002), in on port 1 (uplink)");
        Assert.True(h1 > 0 && h2 > h1, result.Output);
        Assert.Equal(
            [
                "  table 20 egress, priority 100, cookie 0x0300000000000007 (conversation 7 (a → b))",
                "      n_packets=12, n_bytes=1176, duration=4.2s, idle_timeout=10",
                "      match    ip,ipv4_src=10.1.0.2,ipv4_dst=10.1.0.3,ip_proto=6,tcp_dst=80",
                "      actions  set_field:06:00:01:00:00:01->eth_src,output:1",
                "  rewrites  eth_src  0e:50:42:00:00:01 → 06:00:01:00:00:01",
                "  → output to port 1 (uplink)",
            ],
            lines[(h1 + 1)..(h1 + 7)]);
        Assert.Equal("  → output to port 2 (endpoint b)", lines[h2 + 5]);
        Assert.Contains("Result       DELIVERED", lines);
        Assert.Contains("             delivered to b (port 2 of h2) as 0e:50:42:00:00:01 → 0e:50:42:00:00:02, 10.1.0.2 → 10.1.0.3", lines);
        Assert.Contains("  - h1: meter 9 is not modelled; the trace lets packets through it", lines);
        Assert.Equal("?source=a&destination=b&port=80", Assert.Single(_queries));
    }

    [Fact]
    public async Task Trace_ProtoAndJson_SendsTheProtocolAndPrintsTheApiAnswer()
    {
        var result = await RunFakeAsync("trace", "a", "10.1.0.3", "--proto", "udp", "--port", "53", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var trace = JsonNode.Parse(result.Output)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(CrossHost), trace));
        Assert.Equal("?source=a&destination=10.1.0.3&protocol=udp&port=53", Assert.Single(_queries));
    }

    [Fact]
    public async Task Trace_UnknownEndpoint_Exit1WithTheControllersReason()
    {
        var result = await RunFakeAsync("trace", "nobody", "b");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("endpoint 'nobody' does not exist", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Trace_BadProto_RefusedBeforeAnyRequest()
    {
        var result = await RunFakeAsync("trace", "a", "b", "--proto", "sctp");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(_queries);
    }

    [Fact]
    public async Task Trace_RealControllerWithoutSwitches_SaysTheHostIsNotConnected()
    {
        using PatchbayApiClient api = controller.Client();
        if (!(await api.ListAllTenantsAsync()).Any(t => t.Name == "tt"))
        {
            await api.CreateTenantAsync(new TenantCreate("tt"));
            await api.CreateNetworkAsync(new NetworkCreate("tblue", "tt", "10.7.0.0/24"));
            await api.RegisterHostAsync(new HostRegistration("th1", "00000000000000b1", "02:00:00:00:00:b1", 1, "198.18.0.177", "fabric"));
            await api.CreateEndpointAsync(new EndpointCreate("tw1", "tblue", "th1"));
            await api.CreateEndpointAsync(new EndpointCreate("tw2", "tblue", "th1"));
            await api.SetEndpointPortAsync("tw1", 2);
        }

        var result = await controller.RunAsync("trace", "tw1", "tw2");

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Contains("Verdict      ALLOW", result.Output, StringComparison.Ordinal);
        Assert.Contains("  NOT CONNECTED: host th1 not connected", result.Output, StringComparison.Ordinal);
        Assert.Contains("Result       UNKNOWN", result.Output, StringComparison.Ordinal);
    }

    private Task<CliResult> RunFakeAsync(params string[] args) => Cli.RunAsync(new Dictionary<string, string>(), [.. args, "--api", FakeApi]);
}
