// Issue 6, point 4 on a real lab: the test plays two Docker engines (one per lab host) against the agents' Docker
// plugin with the requests `docker network create -d patchbay --ipam-driver patchbay` and `docker run --network`
// send, in Docker's order, and does Docker's part of Join itself: it moves the SrcName the driver answered into a
// namespace it created, names it eth0 and sets the address, MAC and default route. The two "containers" ping each
// other through the real veths and OVS; after Leave and DeleteEndpoint the OVS port, the veth and the endpoint are gone.
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Patchbay.Core.Api;
using Patchbay.EndToEnd.Tests.Infrastructure;

namespace Patchbay.EndToEnd.Tests.Docker;

public sealed class DockerDriverLabTests(DockerLabFixture lab) : IClassFixture<DockerLabFixture>
{
    private const string Subnet = "10.77.0.0/24";

    [Fact]
    public async Task TwoHosts_CreateRunPingStopRemove_PingsThenPortVethEndpointAndNetworkGone()
    {
        using var timeout = TestTimeout.Start(120);
        using var api = lab.Api();
        string tenant = "dk-" + lab.Name;
        await api.CreateTenantAsync(new TenantCreate(tenant), timeout.Token);
        string network = "dknet-" + lab.Name;
        var engines = new[] { new Engine("h1", lab.Name + "a"), new Engine("h2", lab.Name + "b") };
        try
        {
            foreach (Engine engine in engines)
            {
                using var plugin = new DockerPluginClient(lab.DockerSockets[engine.Host]);
                Assert.Equal(["NetworkDriver", "IpamDriver"], (await plugin.CallAsync("Plugin.Activate", null, timeout.Token)).GetProperty("Implements").EnumerateArray().Select(e => e.GetString()));
                Assert.Equal("local", (await plugin.CallAsync("NetworkDriver.GetCapabilities", null, timeout.Token)).GetProperty("Scope").GetString());
                engine.Pool = (await plugin.CallAsync("IpamDriver.RequestPool", $$$"""{"AddressSpace":"patchbay-local","Pool":"{{{Subnet}}}","SubPool":"","Options":{},"V6":false}""", timeout.Token)).GetProperty("PoolID").GetString()!;
                string gateway = Text(await plugin.CallAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{engine.Pool}}}","Address":"","Options":{"RequestAddressType":"com.docker.network.gateway"}}""", timeout.Token), "Address");
                Assert.Equal("10.77.0.1/24", gateway);
                await plugin.CallAsync(
                    "NetworkDriver.CreateNetwork",
                    $$$"""{"NetworkID":"{{{engine.NetworkId}}}","Options":{"com.docker.network.enable_ipv6":false,"com.docker.network.generic":{"patchbay.network":"{{{network}}}","patchbay.tenant":"{{{tenant}}}"}},"IPv4Data":[{"AddressSpace":"patchbay-local","Pool":"{{{Subnet}}}","Gateway":"{{{gateway}}}","AuxAddresses":null}],"IPv6Data":[]}""",
                    timeout.Token);
            }

            NetworkView created = await api.GetNetworkAsync(network, timeout.Token);
            Assert.Equal((tenant, Subnet), (created.Tenant, created.Subnet));

            foreach (Engine engine in engines)
            {
                await RunAsync(engine, timeout.Token);
            }

            foreach (Engine engine in engines)
            {
                EndpointView endpoint = await api.GetEndpointAsync(engine.Endpoint, timeout.Token);
                Assert.Equal((engine.Host, engine.Ip), (endpoint.Host, endpoint.Ip));
                Assert.Equal(HostNetwork.HostInterfaceName(engine.Endpoint), await lab.VsctlAsync(engine.Host, ["--bare", "--columns=name", "find", "Interface", $"external_ids:patchbay-endpoint={engine.Endpoint}"], timeout.Token));
                Assert.Equal(endpoint.OvsPort?.ToString(CultureInfo.InvariantCulture), await lab.VsctlAsync(engine.Host, ["get", "Interface", HostNetwork.HostInterfaceName(engine.Endpoint), "ofport"], timeout.Token));
            }

            ProcessResult there = await ProcessRunner.TryRunAsync(["ip", "netns", "exec", engines[0].Netns, "ping", "-c", "3", "-i", "0.2", "-w", "10", engines[1].Ip], timeout: TimeSpan.FromSeconds(15), cancellationToken: timeout.Token);
            Assert.True(there.Succeeded, there.StandardOutput + there.StandardError);
            ProcessResult back = await ProcessRunner.TryRunAsync(["ip", "netns", "exec", engines[1].Netns, "ping", "-c", "3", "-i", "0.2", "-w", "10", engines[0].Ip], timeout: TimeSpan.FromSeconds(15), cancellationToken: timeout.Token);
            Assert.True(back.Succeeded, back.StandardOutput + back.StandardError);

            foreach (Engine engine in engines)
            {
                await StopAndRemoveAsync(engine, timeout.Token);
                Assert.Equal(string.Empty, await lab.VsctlAsync(engine.Host, ["--bare", "--columns=name", "find", "Interface", $"external_ids:patchbay-endpoint={engine.Endpoint}"], timeout.Token));
                Assert.False((await ProcessRunner.TryRunAsync(["ip", "-n", lab.Host(engine.Host).Netns, "link", "show", "dev", HostNetwork.HostInterfaceName(engine.Endpoint)], cancellationToken: timeout.Token)).Succeeded);
                Assert.Null(await api.FindEndpointAsync(engine.Endpoint, timeout.Token));
            }

            Assert.DoesNotContain(await api.ListAllNetworksAsync(cancellationToken: timeout.Token), n => n.Name == network);
        }
        finally
        {
            foreach (Engine engine in engines)
            {
                await ProcessRunner.TryRunAsync(["ip", "netns", "del", engine.Netns], cancellationToken: CancellationToken.None);
            }
        }
    }

    /// <summary>docker run: RequestAddress, CreateEndpoint, Join, then Docker's part of Join in a namespace of the test's own.</summary>
    private async Task RunAsync(Engine engine, CancellationToken cancellationToken)
    {
        using var plugin = new DockerPluginClient(lab.DockerSockets[engine.Host]);
        string address = Text(await plugin.CallAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{engine.Pool}}}","Address":"","Options":{}}""", cancellationToken), "Address");
        engine.Ip = address.Split('/')[0];
        JsonElement created = await plugin.CallAsync(
            "NetworkDriver.CreateEndpoint",
            $$$"""{"NetworkID":"{{{engine.NetworkId}}}","EndpointID":"{{{engine.EndpointId}}}","Interface":{"Address":"{{{address}}}","AddressIPv6":"","MacAddress":""},"Options":{"com.docker.network.endpoint.exposedports":[],"com.docker.network.portmap":[]}}""",
            cancellationToken);
        string mac = Text(created.GetProperty("Interface"), "MacAddress");
        engine.Endpoint = Text(await plugin.CallAsync("NetworkDriver.EndpointOperInfo", Ids(engine), cancellationToken), "Value", "patchbay.endpoint");
        JsonElement join = await plugin.CallAsync(
            "NetworkDriver.Join",
            $$$"""{"NetworkID":"{{{engine.NetworkId}}}","EndpointID":"{{{engine.EndpointId}}}","SandboxKey":"/run/netns/{{{engine.Netns}}}","Options":{}}""",
            cancellationToken);
        engine.SrcName = Text(join, "InterfaceName", "SrcName");
        string dst = Text(join, "InterfaceName", "DstPrefix") + "0";
        string gateway = Text(join, "Gateway");
        Assert.Equal("10.77.0.1", gateway);

        string hostNs = lab.Host(engine.Host).Netns;
        await ProcessRunner.RunAsync(["ip", "netns", "add", engine.Netns], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(["ip", "-n", hostNs, "link", "set", "dev", engine.SrcName, "netns", engine.Netns], cancellationToken: cancellationToken);
        foreach (string[] step in (string[][])[
            ["link", "set", "dev", engine.SrcName, "name", dst],
            ["link", "set", "dev", dst, "address", mac],
            ["address", "add", address, "dev", dst],
            ["link", "set", "dev", "lo", "up"],
            ["link", "set", "dev", dst, "up"],
            ["route", "add", "default", "via", gateway, "dev", dst]])
        {
            await ProcessRunner.RunAsync(["ip", "-n", engine.Netns, .. step], cancellationToken: cancellationToken);
        }
    }

    /// <summary>docker stop and rm: Docker moves the interface back out under its SrcName, then Leave, DeleteEndpoint, ReleaseAddress, DeleteNetwork, ReleasePool.</summary>
    private async Task StopAndRemoveAsync(Engine engine, CancellationToken cancellationToken)
    {
        string hostNs = lab.Host(engine.Host).Netns;
        await ProcessRunner.RunAsync(["ip", "-n", engine.Netns, "link", "set", "dev", "eth0", "down"], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(["ip", "-n", engine.Netns, "link", "set", "dev", "eth0", "name", engine.SrcName], cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(["ip", "-n", engine.Netns, "link", "set", "dev", engine.SrcName, "netns", hostNs], cancellationToken: cancellationToken);
        using var plugin = new DockerPluginClient(lab.DockerSockets[engine.Host]);
        await plugin.CallAsync("NetworkDriver.RevokeExternalConnectivity", Ids(engine), cancellationToken);
        await plugin.CallAsync("NetworkDriver.Leave", Ids(engine), cancellationToken);
        await plugin.CallAsync("NetworkDriver.DeleteEndpoint", Ids(engine), cancellationToken);
        await plugin.CallAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{engine.Pool}}}","Address":"{{{engine.Ip}}}"}""", cancellationToken);
        await plugin.CallAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{engine.NetworkId}}}"}""", cancellationToken);
        await plugin.CallAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{engine.Pool}}}","Address":"10.77.0.1"}""", cancellationToken);
        await plugin.CallAsync("IpamDriver.ReleasePool", $$$"""{"PoolID":"{{{engine.Pool}}}"}""", cancellationToken);
    }

    private static string Ids(Engine engine) => $$$"""{"NetworkID":"{{{engine.NetworkId}}}","EndpointID":"{{{engine.EndpointId}}}"}""";

    private static string Text(JsonElement element, params string[] path) =>
        path.Aggregate(element, (e, name) => e.GetProperty(name)).GetString() ?? throw new InvalidOperationException($"{string.Join('.', path)} is null in {element}");

    /// <summary>One Docker engine's view: its host, its own ids (local scope: each engine names the network itself), its container.</summary>
    private sealed class Engine(string host, string netns)
    {
        public string Host { get; } = host;

        public string Netns { get; } = netns;

        public string NetworkId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        public string EndpointId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        public string Pool { get; set; } = string.Empty;

        public string Ip { get; set; } = string.Empty;

        public string Endpoint { get; set; } = string.Empty;

        public string SrcName { get; set; } = string.Empty;
    }
}
