// The plugin's verbs against a fake agent: the spec's result and error shapes, the plug requests it makes,
// idempotent ADD and DEL, CHECK of the namespace, GC of stale attachments, STATUS and VERSION.
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Cni.Tests;

public sealed class CniPluginTests : IAsyncLifetime
{
    private readonly string _netns = Path.GetTempFileName();
    private FakeAgent? _agent;

    private FakeAgent Agent => _agent!;

    public async Task InitializeAsync() => _agent = await FakeAgent.StartAsync();

    public async Task DisposeAsync()
    {
        await Agent.DisposeAsync();
        File.Delete(_netns);
    }

    [Fact]
    public async Task Add_ValidConfig_PrintsSpecResultForThePluggedEndpoint()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));

        Assert.Equal(0, run.ExitCode);
        PlugResult plugged = Assert.Single(Agent.Plugged.Values);
        JsonElement result = run.Json;
        Assert.Equal("1.0.0", result.GetProperty("cniVersion").GetString());
        JsonElement[] interfaces = [.. result.GetProperty("interfaces").EnumerateArray()];
        Assert.Equal(2, interfaces.Length);
        Assert.Equal(plugged.HostInterface, interfaces[0].GetProperty("name").GetString());
        Assert.Equal(plugged.HostMac, interfaces[0].GetProperty("mac").GetString());
        Assert.False(interfaces[0].TryGetProperty("sandbox", out _));
        Assert.Equal("eth0", interfaces[1].GetProperty("name").GetString());
        Assert.Equal(plugged.Endpoint.Mac, interfaces[1].GetProperty("mac").GetString());
        Assert.Equal(_netns, interfaces[1].GetProperty("sandbox").GetString());
        JsonElement ip = Assert.Single(result.GetProperty("ips").EnumerateArray());
        Assert.Equal(1, ip.GetProperty("interface").GetInt32());
        Assert.Equal(plugged.Endpoint.Ip + "/16", ip.GetProperty("address").GetString());
        Assert.Equal(FakeAgent.Gateway, ip.GetProperty("gateway").GetString());
        JsonElement route = Assert.Single(result.GetProperty("routes").EnumerateArray());
        Assert.Equal("0.0.0.0/0", route.GetProperty("dst").GetString());
        Assert.Equal(FakeAgent.Gateway, route.GetProperty("gw").GetString());
        Assert.Equal(JsonValueKind.Object, result.GetProperty("dns").ValueKind);
    }

    [Fact]
    public async Task Add_PlugRequest_NamesEndpointFromContainerAndIfNameWithMergedLabels()
    {
        var env = CniHarness.Env("ADD", _netns, ifName: "net1");
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0;OTHER=x";
        string extra = ""","labels":{"app":"web"},"args":{"cni":{"labels":[{"key":"tier","value":"front"}]}},"runtimeConfig":{"labels":{"zone":"a"}}""";

        CniRun run = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath, extra: extra));

        Assert.Equal(0, run.ExitCode);
        PlugRequest plug = Assert.Single(Agent.Plugs);
        Assert.Equal(EndpointNames.For(CniHarness.ContainerId, "net1"), plug.Endpoint);
        Assert.StartsWith("cni-", plug.Endpoint, StringComparison.Ordinal);
        Assert.Equal(("blue", "acme", "net1", _netns), (plug.Network, plug.Tenant, plug.IfName, plug.Netns));
        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front", ["zone"] = "a", ["io.kubernetes.pod.namespace"] = "shop", ["io.kubernetes.pod.name"] = "web-0" },
            plug.Labels);
    }

    [Fact]
    public async Task Add_Repeated_ReturnsTheSameResult()
    {
        CniRun first = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));
        CniRun second = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(2, Agent.Plugs.Count);
        Assert.Single(Agent.Plugged);
    }

    [Fact]
    public async Task Add_DifferentContainers_GetDifferentEndpoints()
    {
        await CniHarness.RunAsync(CniHarness.Env("ADD", _netns, containerId: "a1"), CniHarness.Config(Agent.SocketPath));
        await CniHarness.RunAsync(CniHarness.Env("ADD", _netns, containerId: "b2"), CniHarness.Config(Agent.SocketPath));

        Assert.Equal(2, Agent.Plugged.Count);
    }

    [Fact]
    public async Task Add_DnsInConfig_IsReturned()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath, extra: ""","dns":{"nameservers":["10.10.0.53"],"search":["lab"]}"""));

        JsonElement dns = run.Json.GetProperty("dns");
        Assert.Equal("10.10.0.53", dns.GetProperty("nameservers")[0].GetString());
        Assert.Equal("lab", dns.GetProperty("search")[0].GetString());
    }

    [Theory]
    [InlineData("0.4.0", "", CniErrorCode.IncompatibleVersion)]
    [InlineData("1.0.0", ""","ipam":{"type":"host-local"}""", CniErrorCode.UnsupportedField)]
    [InlineData("1.0.0", ""","labels":["app"]""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("1.0.0", ""","labels":{"app":3}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("1.0.0", ""","args":{"cni":{"labels":[{"key":"a"}]}}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("1.0.0", ""","dns":"8.8.8.8" """, CniErrorCode.InvalidNetworkConfig)]
    public async Task Add_BadConfig_AnswersErrorCode(string version, string extra, int code)
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath, version, extra));

        Assert.Equal(code, run.ErrorCode);
        Assert.Empty(Agent.Plugs);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"pb","type":"patchbay"}""", "'network' is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"pb","type":"bridge","network":"blue"}""", "'type' is 'bridge'")]
    [InlineData("""{"cniVersion":"1.0.0","type":"patchbay","network":"blue"}""", "'name' is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"pb","type":"patchbay","network":7}""", "'network' must be a string")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public async Task Add_InvalidConfig_IsCode4NamingTheField(string config, string message)
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), config);

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, run.ErrorCode);
        Assert.Contains(message, run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ConfigNotJson_IsDecodingFailure()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), "{\"cniVersion\": ");

        Assert.Equal(CniErrorCode.DecodingFailure, run.ErrorCode);
        Assert.DoesNotContain("\\u00", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CNI_CONTAINERID")]
    [InlineData("CNI_IFNAME")]
    [InlineData("CNI_NETNS")]
    [InlineData("CNI_COMMAND")]
    public async Task Add_MissingVariable_IsInvalidEnvironment(string variable)
    {
        var env = CniHarness.Env("ADD", _netns);
        env.Remove(variable);

        CniRun run = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));

        Assert.Equal(CniErrorCode.InvalidEnvironment, run.ErrorCode);
        Assert.Contains(variable, run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CNI_CONTAINERID", "-leading-dash")]
    [InlineData("CNI_CONTAINERID", "has space")]
    [InlineData("CNI_IFNAME", "a-name-longer-than-15")]
    [InlineData("CNI_IFNAME", "eth/0")]
    [InlineData("CNI_ARGS", "novalue")]
    [InlineData("CNI_COMMAND", "PLUG")]
    public async Task Add_MalformedVariable_IsInvalidEnvironment(string variable, string value)
    {
        var env = CniHarness.Env("ADD", _netns);
        env[variable] = value;

        CniRun run = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));

        Assert.Equal(CniErrorCode.InvalidEnvironment, run.ErrorCode);
        Assert.Empty(Agent.Plugs);
    }

    [Fact]
    public async Task Add_UnknownCniArgWithoutIgnoreUnknown_IsUnsupportedField()
    {
        var env = CniHarness.Env("ADD", _netns);
        env["CNI_ARGS"] = "FOO=bar";

        CniRun run = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));

        Assert.Equal(CniErrorCode.UnsupportedField, run.ErrorCode);
        Assert.Contains("FOO", run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_NetnsMissing_IsUnknownContainer()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", "/run/netns/pbcni-no-such-ns"), CniHarness.Config(Agent.SocketPath));

        Assert.Equal(CniErrorCode.UnknownContainer, run.ErrorCode);
        Assert.Empty(Agent.Plugs);
    }

    [Fact]
    public async Task Add_AgentNotListening_IsTryAgainLater()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath + ".gone"));

        Assert.Equal(CniErrorCode.TryAgainLater, run.ErrorCode);
        Assert.Contains(".gone does not answer", run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_AgentRefuses_IsCode100WithItsTitleAndDetail()
    {
        Agent.RefusePlug = (404, "Not found", "no network 'blue' in tenant 'acme'");

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath, "1.1.0"));

        Assert.Equal(CniErrorCode.AgentRefused, run.ErrorCode);
        Assert.Equal("patchbay: Not found: no network 'blue' in tenant 'acme'", run.Json.GetProperty("msg").GetString());
        Assert.Equal("1.1.0", run.Json.GetProperty("cniVersion").GetString());
    }

    [Fact]
    public async Task Add_ControllerUnreachableBehindAgent_IsTryAgainLater()
    {
        Agent.RefusePlug = (503, "Controller unreachable", "the controller API did not answer");

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));

        Assert.Equal(CniErrorCode.TryAgainLater, run.ErrorCode);
    }

    [Fact]
    public async Task Del_ContainerNeverAdded_SucceedsSilentlyAndUnplugsItsName()
    {
        var env = CniHarness.Env("DEL", "/run/netns/pbcni-gone");

        CniRun run = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal(EndpointNames.For(CniHarness.ContainerId, "eth0"), Assert.Single(Agent.Unplugs));
    }

    [Fact]
    public async Task Del_AfterAdd_RemovesTheEndpointAndRepeatsCleanly()
    {
        await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));
        var env = CniHarness.Env("DEL", _netns);
        env.Remove("CNI_NETNS");

        CniRun first = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));
        CniRun second = await CniHarness.RunAsync(env, CniHarness.Config(Agent.SocketPath));

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Empty(Agent.Plugged);
    }

    [Fact]
    public async Task Del_AgentDown_IsTryAgainLater()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("DEL", _netns), CniHarness.Config(Agent.SocketPath + ".gone"));

        Assert.Equal(CniErrorCode.TryAgainLater, run.ErrorCode);
    }

    [Fact]
    public async Task Check_InterfaceAsAdded_Succeeds()
    {
        PlugResult plugged = await AddAsync();
        var inspector = new FakeInspector { State = new InterfaceState(plugged.Endpoint.Mac.ToUpperInvariant(), ["127.0.0.1/8", plugged.Endpoint.Ip + "/16"], [FakeAgent.Gateway]) };

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath), inspector);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task Check_InterfaceMissing_FailsNamingIt()
    {
        await AddAsync();

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath), new FakeInspector());

        Assert.Equal(CniErrorCode.CheckFailed, run.ErrorCode);
        Assert.Equal($"interface eth0 is missing in {_netns}", run.Json.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Check_AddressMissing_FailsNamingTheAddress()
    {
        PlugResult plugged = await AddAsync();
        var inspector = new FakeInspector { State = new InterfaceState(plugged.Endpoint.Mac, [], [FakeAgent.Gateway]) };

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath), inspector);

        Assert.Equal(CniErrorCode.CheckFailed, run.ErrorCode);
        Assert.Contains($"lacks address {plugged.Endpoint.Ip}/16", run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DefaultRouteMissing_Fails()
    {
        PlugResult plugged = await AddAsync();
        var inspector = new FakeInspector { State = new InterfaceState(plugged.Endpoint.Mac, [plugged.Endpoint.Ip + "/16"], []) };

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath), inspector);

        Assert.Equal(CniErrorCode.CheckFailed, run.ErrorCode);
        Assert.Contains("no default route via 10.10.0.1", run.Json.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PrevResultWithOtherAddress_Fails()
    {
        PlugResult plugged = await AddAsync();
        var inspector = new FakeInspector { State = new InterfaceState(plugged.Endpoint.Mac, [plugged.Endpoint.Ip + "/16"], [FakeAgent.Gateway]) };
        string prev = ""","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.10.9.9/16","interface":1}]}""";

        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath, extra: prev), inspector);

        Assert.Equal(CniErrorCode.CheckFailed, run.ErrorCode);
    }

    [Fact]
    public async Task Check_NeverAdded_IsUnknownContainer()
    {
        CniRun run = await CniHarness.RunAsync(CniHarness.Env("CHECK", _netns), CniHarness.Config(Agent.SocketPath), new FakeInspector());

        Assert.Equal(CniErrorCode.UnknownContainer, run.ErrorCode);
    }

    [Fact]
    public async Task Gc_UnplugsOnlyThisNetworksPluginEndpointsMissingFromValidAttachments()
    {
        string keep = EndpointNames.For("keep", "eth0");
        string stale = EndpointNames.For("stale", "eth0");
        Agent.Seed(keep);
        Agent.Seed(stale);
        Agent.Seed(EndpointNames.For("other", "eth0"), network: "red");
        Agent.Seed("web1");
        string valid = ""","cni.dev/valid-attachments":[{"containerID":"keep","ifname":"eth0"}]""";

        CniRun run = await CniHarness.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "GC" }, CniHarness.Config(Agent.SocketPath, "1.1.0", valid));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(stale, Assert.Single(Agent.Unplugs));
        Assert.Equal(3, Agent.Plugged.Count);
    }

    [Fact]
    public async Task Gc_WithoutValidAttachments_RefusesAndUnplugsNothing()
    {
        Agent.Seed(EndpointNames.For("stale", "eth0"));

        CniRun run = await CniHarness.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "GC" }, CniHarness.Config(Agent.SocketPath, "1.1.0"));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, run.ErrorCode);
        Assert.Empty(Agent.Unplugs);
    }

    [Fact]
    public async Task Status_AgentAnswers_IsReady()
    {
        CniRun run = await CniHarness.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS" }, CniHarness.Config(Agent.SocketPath, "1.1.0"));

        Assert.Equal((0, string.Empty), (run.ExitCode, run.Stdout));
    }

    [Fact]
    public async Task Status_AgentDown_IsCode50()
    {
        CniRun run = await CniHarness.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS" }, CniHarness.Config(Agent.SocketPath + ".gone", "1.1.0"));

        Assert.Equal(CniErrorCode.PluginNotAvailable, run.ErrorCode);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0"}""", "1.0.0")]
    [InlineData("", "1.1.0")]
    public async Task Version_ListsSupportedVersions(string stdin, string answered)
    {
        CniRun run = await CniHarness.RunAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, stdin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(answered, run.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(["1.0.0", "1.1.0"], run.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    private async Task<PlugResult> AddAsync()
    {
        CniRun add = await CniHarness.RunAsync(CniHarness.Env("ADD", _netns), CniHarness.Config(Agent.SocketPath));
        Assert.Equal(0, add.ExitCode);
        return Assert.Single(Agent.Plugged.Values);
    }
}
