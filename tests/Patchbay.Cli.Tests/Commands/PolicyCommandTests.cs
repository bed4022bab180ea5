// `patchbay policy ...`, `patchbay connect` and `patchbay disconnect` against the real controller on a unix
// socket: apply (created, then unchanged), errors naming the file's line and field, ls/inspect/rm, decide,
// and refusals as exit 1 with the controller's reason on stderr.
using System.Text.Json.Nodes;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Tests.Commands;

public sealed class PolicyCommandTests(CliController controller) : IClassFixture<CliController>, IAsyncLifetime
{
    private const string Document = """
        groups:
          - name: pweb
            tenant: pt
            selector:
              matchLabels: {app: web}
          - name: pdb
            tenant: pt
            selector:
              matchLabels: {app: db}
        rules:
          - name: pweb-to-pdb
            tenant: pt
            appliesTo: pdb
            direction: ingress
            peers:
              - group: pweb
            protocol: tcp
            ports: ["80"]
            action: allow
            priority: 100
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("pb-policy-cli-").FullName;

    public async Task InitializeAsync()
    {
        using PatchbayApiClient api = controller.Client();
        if ((await api.ListAllTenantsAsync()).Any(t => t.Name == "pt"))
        {
            return;
        }

        await api.CreateTenantAsync(new TenantCreate("pt"));
        await api.CreateNetworkAsync(new NetworkCreate("pblue", "pt", "10.1.0.0/24"));
        await api.CreateNetworkAsync(new NetworkCreate("pgreen", "pt", "10.2.0.0/24"));
        await api.RegisterHostAsync(new HostRegistration("ph1", "00000000000000a1", "02:00:00:00:00:a1", 1, "198.18.0.161", "fabric"));
        await api.CreateEndpointAsync(new EndpointCreate("pw1", "pblue", "ph1", Labels: new Dictionary<string, string> { ["app"] = "web" }));
        await api.CreateEndpointAsync(new EndpointCreate("pw2", "pblue", "ph1", Labels: new Dictionary<string, string> { ["app"] = "web" }));
        await api.CreateEndpointAsync(new EndpointCreate("pd1", "pgreen", "ph1", Labels: new Dictionary<string, string> { ["app"] = "db" }));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Apply_TwiceThenLs_CreatedThenUnchangedAndListed()
    {
        string file = Write("policy.yaml", Document);
        string extra = Write("extra.yaml", "groups:\n  - name: pextra\n    tenant: pt\n");

        var first = await controller.RunAsync("policy", "apply", "-f", file);
        var second = await controller.RunAsync("policy", "apply", "-f", file);
        var created = await controller.RunAsync("policy", "apply", "-f", extra);
        var again = await controller.RunAsync("policy", "apply", "-f", extra);
        var ls = await controller.RunAsync("policy", "ls", "--tenant", "pt");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(["group/pdb unchanged", "group/pweb unchanged", "rule/pweb-to-pdb unchanged"], Lines(second.Output).Order(StringComparer.Ordinal));
        Assert.Equal(["group/pextra created"], Lines(created.Output));
        Assert.Equal(["group/pextra unchanged"], Lines(again.Output));
        Assert.Matches(@"^KIND\s+NAME\s+TENANT\s+DETAIL$", Lines(ls.Output)[0]);
        Assert.Contains(Lines(ls.Output), l => l.StartsWith("rule", StringComparison.Ordinal) && l.Contains("ingress allow tcp/80 group pweb priority 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_BadPort_ExitOneNamingFileLineAndField()
    {
        string file = Write("bad.yaml", Document.Replace("\"80\"", "\"70000\"", StringComparison.Ordinal));

        var result = await controller.RunAsync("policy", "apply", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}:18: rules[0].ports[0]: 70000 is not a port (1-65535)", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task Apply_UnknownPeerGroup_ExitOneWithTheControllersLine()
    {
        string file = Write("ref.yaml", Document.Replace("- group: pweb", "- group: nope", StringComparison.Ordinal));

        var result = await controller.RunAsync("policy", "apply", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}:16: rules[0].peers[0].group: group 'nope' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_MissingFile_ExitOne()
    {
        var result = await controller.RunAsync("policy", "apply", "-f", Path.Combine(_directory, "nope.yaml"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot read", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectJson_GroupWithMembers_RmRefusedWhileNamedByRule()
    {
        await controller.RunAsync("policy", "apply", "-f", Write("policy.yaml", Document));

        var inspect = await controller.RunAsync("policy", "inspect", "group/pweb", "-o", "json");
        var rmGroup = await controller.RunAsync("policy", "rm", "pweb");
        var missing = await controller.RunAsync("policy", "inspect", "nothing-called-this");

        Assert.Equal(0, inspect.ExitCode);
        Assert.Equal(["pw1", "pw2"], JsonNode.Parse(inspect.Output)!["members"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(1, rmGroup.ExitCode);
        Assert.Contains("pweb-to-pdb", rmGroup.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no group, rule or connection is called 'nothing-called-this'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_DefaultsAndRule_Json()
    {
        await controller.RunAsync("policy", "apply", "-f", Write("policy.yaml", Document));

        var same = JsonNode.Parse((await controller.RunAsync("policy", "decide", "pw1", "pw2", "-o", "json")).Output)!;
        var http = JsonNode.Parse((await controller.RunAsync("policy", "decide", "pw1", "pd1", "--port", "80", "-o", "json")).Output)!;
        var ssh = await controller.RunAsync("policy", "decide", "pw1", "pd1", "--port", "22");
        var unknown = await controller.RunAsync("policy", "decide", "pw1", "ghost");

        Assert.Equal(("allow", "sameNetwork"), ((string?)same["verdict"], (string?)same["reason"]));
        Assert.Equal(("allow", "rule", "pweb-to-pdb"), ((string?)http["verdict"], (string?)http["reason"], (string?)http["rule"]));
        Assert.Matches(@"^deny\s+otherNetwork\s", Lines(ssh.Output)[1]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("endpoint 'ghost' does not exist", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisconnectThenConnect_OnePairDecisionFollowsAndRm()
    {
        var disconnect = await controller.RunAsync("disconnect", "pw1", "pw2", "-o", "json");
        var denied = JsonNode.Parse((await controller.RunAsync("policy", "decide", "pw2", "pw1", "-o", "json")).Output)!;
        var connect = await controller.RunAsync("connect", "pw2", "pw1");
        var allowed = JsonNode.Parse((await controller.RunAsync("policy", "decide", "pw1", "pw2", "-o", "json")).Output)!;
        var rm = await controller.RunAsync("policy", "rm", "connection/pw1--pw2");

        Assert.Equal(0, disconnect.ExitCode);
        Assert.Equal("pw1--pw2", (string?)JsonNode.Parse(disconnect.Output)!["name"]);
        Assert.Equal("disconnected", (string?)denied["reason"]);
        Assert.Matches(@"^pw1--pw2\s+pt\s+connect\s+pw2\s+pw1\s+0$", Lines(connect.Output)[1]);
        Assert.Equal(0, (int?)JsonNode.Parse(disconnect.Output)!["revoked"]);
        Assert.Equal("connected", (string?)allowed["reason"]);
        Assert.Equal(0, rm.ExitCode);
        Assert.Equal("sameNetwork", (string?)JsonNode.Parse((await controller.RunAsync("policy", "decide", "pw1", "pw2", "-o", "json")).Output)!["reason"]);
    }

    [Fact]
    public async Task Connect_UnknownGroup_ExitOne()
    {
        var result = await controller.RunAsync("connect", "pw1", "group/ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("group 'ghost' does not exist", result.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
