// Podman as the real CNI client of patchbay-cni on a 2-host lab: containers on different hosts reach each other and
// a plain lab container; stop removes the endpoint and its flows; a bad configuration reaches podman's stderr;
// CHECK looks into the real namespace; and the root namespace gets nothing.
using Patchbay.Cni;
using Patchbay.Core.Api;

namespace Patchbay.EndToEnd.Tests.Cni;

public sealed partial class PodmanCniTests(CniLabFixture lab) : IClassFixture<CniLabFixture>
{
    private PodmanHarness Podman => lab.Podman;

    [Fact]
    public async Task Run_ContainersOnTwoHosts_ReachEachOtherAndALabContainer()
    {
        string idA = await Podman.RunAsync("pa", "pbh1");
        string idB = await Podman.RunAsync("pb", "pbh2");
        using PatchbayApiClient api = lab.Api();
        EndpointView a = await api.FindEndpointAsync(EndpointNames.For(idA, "eth0")) ?? throw new InvalidOperationException("no endpoint for pa");
        EndpointView b = await api.FindEndpointAsync(EndpointNames.For(idB, "eth0")) ?? throw new InvalidOperationException("no endpoint for pb");
        Assert.Equal(("h1", "h2"), (a.Host, b.Host));
        Assert.Equal(a.Ip, await Podman.InspectAsync("pa", "{{.NetworkSettings.Networks.pbh1.IPAddress}}"));

        await AssertPingsAsync("pa", b.Ip);
        await AssertPingsAsync("pb", a.Ip);
        await AssertPingsAsync("pa", lab.Container("c2").Ip);
        ProcessResult fromLab = await lab.ExecAsync("c1", ["ping", "-c", "3", "-W", "2", b.Ip], TimeSpan.FromSeconds(30));
        Assert.True(fromLab.Succeeded, $"c1 -> pb ({b.Ip}): {fromLab.StandardOutput}");
        Assert.Equal(lab.RootNamespaceBefore, await CniLabFixture.RootNamespaceStateAsync());

        await Podman.PodmanAsync(["rm", "--force", "--time", "0", "pa", "pb"]);
    }

    [Fact]
    public async Task StopAndRm_RemovesTheEndpointAndItsFlows()
    {
        string id = await Podman.RunAsync("pgone", "pbh1");
        string name = EndpointNames.For(id, "eth0");
        using PatchbayApiClient api = lab.Api();
        EndpointView endpoint = await api.FindEndpointAsync(name) ?? throw new InvalidOperationException("no endpoint for pgone");
        await AssertPingsAsync("pgone", lab.Container("c2").Ip);
        Assert.Contains(endpoint.Mac, await lab.DumpFlowsAsync("h1"), StringComparison.OrdinalIgnoreCase);

        ProcessResult stop = await Podman.PodmanAsync(["stop", "--time", "1", "pgone"]);
        Assert.True(stop.Succeeded, stop.StandardError);

        Assert.Null(await api.FindEndpointAsync(name));
        Assert.DoesNotContain(endpoint.Mac, await FlowsOnceWithoutAsync(endpoint.Mac), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(HostInterface(name), await lab.VsctlAsync("h1", ["list-ports", "pb0"]), StringComparison.Ordinal);
        ProcessResult rm = await Podman.PodmanAsync(["rm", "pgone"]);
        Assert.True(rm.Succeeded, rm.StandardError);
        Assert.Null(await api.FindEndpointAsync(name));
    }

    [Fact]
    public async Task Run_NetworkConfigWithoutNetwork_FailsWithThePluginsMessage()
    {
        ProcessResult run = await Podman.PodmanAsync(["run", "--rm", "--name", "pbad", "--network", "pbbad", PodmanHarness.Image, "/bin/true"]);

        Assert.False(run.Succeeded);
        Assert.Contains("invalid network configuration: 'network' is required", run.StandardError, StringComparison.Ordinal);
        ProcessResult left = await Podman.PodmanAsync(["ps", "--all", "--quiet", "--filter", "name=pbad"]);
        Assert.Equal(string.Empty, left.StandardOutput.Trim());
    }

    [Fact]
    public async Task Check_RealNamespace_PassesThenReportsARemovedAddress()
    {
        string id = await Podman.RunAsync("pcheck", "pbh1");
        string netns = await Podman.InspectAsync("pcheck", "{{.NetworkSettings.SandboxKey}}");
        using PatchbayApiClient api = lab.Api();
        EndpointView endpoint = await api.FindEndpointAsync(EndpointNames.For(id, "eth0")) ?? throw new InvalidOperationException("no endpoint for pcheck");
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "CHECK",
            ["CNI_CONTAINERID"] = id,
            ["CNI_NETNS"] = netns,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = Podman.PluginDirectory,
        };
        string config = $$"""{"cniVersion":"1.0.0","name":"pbh1","type":"patchbay","tenant":"lab","network":"lab","agentSocket":"{{lab.Host("h1").AgentSocket}}"}""";

        ProcessResult healthy = await Podman.PluginAsync(env, config);
        await ProcessRunner.RunAsync(["nsenter", "--net=" + netns, "ip", "address", "del", $"{endpoint.Ip}/{endpoint.PrefixLength}", "dev", "eth0"]);
        ProcessResult broken = await Podman.PluginAsync(env, config);

        Assert.True(healthy.Succeeded, healthy.StandardOutput);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("\"code\": 101", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"eth0 lacks address {endpoint.Ip}/{endpoint.PrefixLength}", broken.StandardOutput, StringComparison.Ordinal);
        await Podman.PodmanAsync(["rm", "--force", "--time", "0", "pcheck"]);
    }

    /// <summary>h1's flows once none names <paramref name="mac"/> (the controller deletes them after the endpoint), or after 10 s as they are.</summary>
    private async Task<string> FlowsOnceWithoutAsync(string mac)
    {
        string flows = await lab.DumpFlowsAsync("h1");
        for (int attempt = 0; attempt < 50 && flows.Contains(mac, StringComparison.OrdinalIgnoreCase); attempt++)
        {
            await Task.Delay(200);
            flows = await lab.DumpFlowsAsync("h1");
        }

        return flows;
    }

    private static string HostInterface(string endpoint) => HostNetwork.HostInterfaceName(endpoint);

    private async Task AssertPingsAsync(string container, string ip)
    {
        ProcessResult ping = await Podman.PodmanAsync(["exec", container, "ping", "-c", "3", "-W", "2", ip], TimeSpan.FromSeconds(30));
        Assert.True(ping.Succeeded, $"{container} -> {ip}: {ping.StandardOutput}{ping.StandardError}");
    }
}
