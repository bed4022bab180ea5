// The Docker plugin over HTTP on its unix socket, with request bodies of exactly the shapes libnetwork sends (field
// names and casing from libnetwork's drivers/remote/api and ipams/remote/api), in Docker's order for
// `docker network create -d patchbay --ipam-driver patchbay` and `docker run --network`: what each answer holds and
// what the controller's model and the host plumbing hold after it.
using System.Text.Json;
using Patchbay.Agent.Docker;
using Patchbay.Agent.HostOs;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Tests.Docker;

public sealed class DockerPluginTests : IAsyncLifetime
{
    private const string NetworkId = "2f0b8e6a6d4c4a1a9e0f3c5d7b9a1c3e5f7a9b1d3c5e7f9a1b3c5d7e9f1a3b5c";
    private const string EndpointId = "9c1e3a5b7d9f1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d";
    private const string Pool = "patchbay::10.1.0.0/24";

    private readonly FakeDockerModel _model = new();
    private readonly FakeDockerLinks _links = new();
    private DockerPluginHost _plugin = null!;

    public async Task InitializeAsync() => _plugin = await DockerPluginHost.StartAsync("h1", _model, _links);

    public async Task DisposeAsync() => await _plugin.DisposeAsync();

    [Fact]
    public async Task DockerSequence_CreateRunStopRemove_EndpointPluggedThenEverythingGone()
    {
        PluginAnswer activate = await _plugin.PostAsync("Plugin.Activate");
        Assert.Equal(["NetworkDriver", "IpamDriver"], activate.Body.GetProperty("Implements").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(DockerPluginApi.ContentType, activate.ContentType);
        PluginAnswer capabilities = await _plugin.PostAsync("NetworkDriver.GetCapabilities");
        Assert.Equal("local", capabilities.Text("Scope"));
        Assert.Equal("global", capabilities.Text("ConnectivityScope"));
        Assert.False((await _plugin.PostAsync("IpamDriver.GetCapabilities")).Body.GetProperty("RequiresMACAddress").GetBoolean());
        Assert.Equal("patchbay-local", (await _plugin.PostAsync("IpamDriver.GetDefaultAddressSpaces")).Text("LocalDefaultAddressSpace"));

        PluginAnswer pool = await _plugin.PostAsync("IpamDriver.RequestPool", """{"AddressSpace":"patchbay-local","Pool":"10.1.0.0/24","SubPool":"","Options":{},"V6":false}""");
        Assert.Equal(200, pool.Status);
        Assert.Equal(Pool, pool.Text("PoolID"));
        Assert.Equal("10.1.0.0/24", pool.Text("Pool"));
        PluginAnswer gateway = await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"","Options":{"RequestAddressType":"com.docker.network.gateway"}}""");
        Assert.Equal("10.1.0.1/24", gateway.Text("Address"));

        PluginAnswer network = await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", "acme"));
        Assert.Equal((200, null), (network.Status, network.Err));
        NetworkView blue = Assert.Single(_model.Networks);
        Assert.Equal(("blue", "acme", "10.1.0.0/24", "10.1.0.1"), (blue.Name, blue.Tenant, blue.Subnet, blue.Gateway));
        Assert.Equal("h1", blue.Labels!["docker/" + NetworkId]);

        PluginAnswer address = await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"","Options":null}""");
        Assert.Equal("10.1.0.2/24", address.Text("Address"));
        EndpointView reservation = Assert.Single(_model.Endpoints);
        Assert.Equal(("10.1.0.2", "h1", "reserved"), (reservation.Ip, reservation.Host, reservation.Labels["docker.ipam"]));

        PluginAnswer endpoint = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.2/24"));
        Assert.Equal(200, endpoint.Status);
        Assert.Equal(reservation.Mac, endpoint.Body.GetProperty("Interface").GetProperty("MacAddress").GetString());
        Assert.False(endpoint.Body.GetProperty("Interface").TryGetProperty("Address", out _));
        EndpointView bound = Assert.Single(_model.Endpoints);
        Assert.Equal(EndpointId, bound.Labels["docker.endpoint"]);
        Assert.False(bound.Labels.ContainsKey("docker.ipam"));

        PluginAnswer join = await _plugin.PostAsync("NetworkDriver.Join", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","SandboxKey":"/var/run/docker/netns/5d1f7c3a9b2e","Options":{}}""");
        Assert.Equal(200, join.Status);
        Assert.Equal(HostNetwork.PeerInterfaceName(bound.Name), join.Body.GetProperty("InterfaceName").GetProperty("SrcName").GetString());
        Assert.Equal("eth", join.Body.GetProperty("InterfaceName").GetProperty("DstPrefix").GetString());
        Assert.Equal("10.1.0.1", join.Text("Gateway"));
        Assert.True(join.Body.GetProperty("DisableGatewayService").GetBoolean());
        Assert.Equal(bound.Mac, _links.Plugged[bound.Name].Mac);
        Assert.Equal(_links.Plugged[bound.Name].Port, _model.Endpoint(bound.Name).OvsPort);

        PluginAnswer info = await _plugin.PostAsync("NetworkDriver.EndpointOperInfo", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""");
        Assert.Equal("10.1.0.2", info.Body.GetProperty("Value").GetProperty("patchbay.ip").GetString());
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.ProgramExternalConnectivity", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","Options":{"com.docker.network.endpoint.exposedports":[],"com.docker.network.portmap":[]}}""")).Status);

        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.RevokeExternalConnectivity", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.Leave", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""")).Status);
        Assert.Empty(_links.Plugged);
        Assert.Single(_model.Endpoints);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DeleteEndpoint", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""")).Status);
        Assert.Empty(_model.Endpoints);
        Assert.Equal(200, (await _plugin.PostAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.2"}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{NetworkId}}}"}""")).Status);
        Assert.Empty(_model.Networks);
        Assert.Equal(200, (await _plugin.PostAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.1"}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("IpamDriver.ReleasePool", $$$"""{"PoolID":"{{{Pool}}}"}""")).Status);
    }

    [Fact]
    public async Task CreateNetwork_SameNetworkOptionOnTwoHosts_OneNetworkDeletedWithTheLastDockerNetwork()
    {
        await using DockerPluginHost second = await DockerPluginHost.StartAsync("h2", _model, new FakeDockerLinks());
        const string otherId = "aaaa0000bbbb1111cccc2222dddd3333eeee4444ffff5555aaaa6666bbbb7777";
        Assert.Null((await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", "acme"))).Err);
        Assert.Null((await second.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(otherId, "blue", "acme"))).Err);
        NetworkView blue = Assert.Single(_model.Networks);
        Assert.Equal(("h1", "h2"), (blue.Labels!["docker/" + NetworkId], blue.Labels["docker/" + otherId]));

        Assert.Null((await _plugin.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{NetworkId}}}"}""")).Err);
        Assert.False(Assert.Single(_model.Networks).Labels!.ContainsKey("docker/" + NetworkId));
        Assert.Null((await second.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{otherId}}}"}""")).Err);
        Assert.Empty(_model.Networks);
    }

    [Fact]
    public async Task DeleteNetwork_NetworkThatExistedBeforeDocker_KeptAndUnlinked()
    {
        _model.AddNetwork("blue", "acme", "10.1.0.0/24", "10.1.0.1");
        Assert.Null((await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null))).Err);
        Assert.Null((await _plugin.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{NetworkId}}}"}""")).Err);
        Assert.Empty(Assert.Single(_model.Networks).Labels!);
    }

    [Fact]
    public async Task CreateNetwork_ExistingNetworkWithOtherSubnet_ErrNamesBothSubnets()
    {
        _model.AddNetwork("blue", "acme", "10.9.0.0/24", "10.9.0.1");
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", "acme"));
        Assert.Equal(500, answer.Status);
        Assert.Equal("Patchbay network 'blue' has subnet 10.9.0.0/24, Docker asked for 10.1.0.0/24: use --subnet 10.9.0.0/24", answer.Err);
    }

    [Fact]
    public async Task CreateNetwork_WithoutNetworkOption_NamedAfterDockersId()
    {
        Assert.Null((await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, null, null))).Err);
        Assert.Equal("docker-" + NetworkId[..12], Assert.Single(_model.Networks).Name);
    }

    [Fact]
    public async Task CreateNetwork_IPv6Data_Refused()
    {
        string body = $$$"""{"NetworkID":"{{{NetworkId}}}","Options":{},"IPv4Data":[{"AddressSpace":"x","Pool":"10.1.0.0/24","Gateway":"10.1.0.1/24"}],"IPv6Data":[{"AddressSpace":"x","Pool":"fd00::/64","Gateway":"fd00::1/64"}]}""";
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.CreateNetwork", body);
        Assert.Equal(500, answer.Status);
        Assert.Contains("IPv4 only", answer.Err, StringComparison.Ordinal);
        Assert.Empty(_model.Networks);
    }

    [Theory]
    [InlineData("""{"AddressSpace":"patchbay-local","Pool":"","SubPool":"","Options":{},"V6":false}""", "Patchbay IPAM needs the subnet: docker network create --ipam-driver patchbay --subnet 10.1.0.0/24 ...")]
    [InlineData("""{"AddressSpace":"patchbay-local","Pool":"","SubPool":"","Options":{},"V6":true}""", "Patchbay IPAM is IPv4 only: create the network without --ipv6")]
    [InlineData("""{"AddressSpace":"patchbay-local","Pool":"10.1.0.0/24","SubPool":"10.1.0.128/25","Options":{},"V6":false}""", "Patchbay IPAM allocates from the whole subnet: --ip-range 10.1.0.128/25 is not supported")]
    [InlineData("""{"AddressSpace":"patchbay-local","Pool":"10.1.0.7/24","SubPool":"","Options":{},"V6":false}""", null)]
    [InlineData("""{"AddressSpace":"patchbay-local","Pool":"blue","SubPool":"","Options":{},"V6":false}""", "'blue' is not an IPv4 subnet (expected e.g. 10.1.0.0/24)")]
    public async Task RequestPool_Unsupported_ErrSaysWhat(string body, string? err)
    {
        PluginAnswer answer = await _plugin.PostAsync("IpamDriver.RequestPool", body);
        Assert.Equal(err ?? "'10.1.0.7/24' is not an IPv4 subnet (expected e.g. 10.1.0.0/24)", answer.Err);
        Assert.Equal(500, answer.Status);
    }

    [Fact]
    public async Task CreateEndpoint_AddressFromDockersIpam_CreatesEndpointOnceAndAnswersTheSameMacAgain()
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        PluginAnswer first = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        PluginAnswer again = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        EndpointView endpoint = Assert.Single(_model.Endpoints);
        Assert.Equal(("docker-" + EndpointId[..12], "10.1.0.7", "h1"), (endpoint.Name, endpoint.Ip, endpoint.Host));
        Assert.Equal(endpoint.Mac, first.Body.GetProperty("Interface").GetProperty("MacAddress").GetString());
        Assert.Equal(endpoint.Mac, again.Body.GetProperty("Interface").GetProperty("MacAddress").GetString());
    }

    [Fact]
    public async Task CreateEndpoint_MacFromDocker_EndpointHasItAndAnswerLeavesInterfaceEmpty()
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        string body = $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","Interface":{"Address":"10.1.0.7/24","AddressIPv6":"","MacAddress":"02:42:0a:01:00:07"},"Options":{}}""";
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", body);
        Assert.Equal(200, answer.Status);
        Assert.False(answer.Body.TryGetProperty("Interface", out _));
        Assert.Equal("02:42:0a:01:00:07", Assert.Single(_model.Endpoints).Mac);
    }

    [Fact]
    public async Task CreateEndpoint_AddressHeldByAnotherEndpoint_ErrNamesIt()
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        _model.AddEndpoint("web1", "blue", "h2", "10.1.0.7");
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        Assert.Equal(500, answer.Status);
        Assert.Equal("address 10.1.0.7 in network 'blue' is held by endpoint 'web1' on host 'h2'", answer.Err);
        Assert.Single(_model.Endpoints);
    }

    [Fact]
    public async Task CreateEndpoint_UnknownNetwork_Err()
    {
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        Assert.Equal(500, answer.Status);
        Assert.Equal($"network {NetworkId[..12]} is not a Patchbay network on host 'h1': create it with the patchbay driver first", answer.Err);
    }

    [Fact]
    public async Task RequestAddress_TwoTenantsWithTheSubnet_ErrAsksForTheTenantAndTenantPoolPicksIt()
    {
        _model.AddNetwork("blue", "acme", "10.1.0.0/24", "10.1.0.1");
        _model.AddNetwork("red", "globex", "10.1.0.0/24", "10.1.0.254");
        PluginAnswer ambiguous = await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"","Options":{}}""");
        Assert.Equal("networks 'blue' (tenant 'acme'), 'red' (tenant 'globex') all have subnet 10.1.0.0/24: name the tenant with --ipam-opt patchbay.tenant=TENANT", ambiguous.Err);

        PluginAnswer pool = await _plugin.PostAsync("IpamDriver.RequestPool", """{"AddressSpace":"patchbay-local","Pool":"10.1.0.0/24","SubPool":"","Options":{"patchbay.tenant":"globex"},"V6":false}""");
        Assert.Equal("patchbay:globex:10.1.0.0/24", pool.Text("PoolID"));
        PluginAnswer gateway = await _plugin.PostAsync("IpamDriver.RequestAddress", """{"PoolID":"patchbay:globex:10.1.0.0/24","Address":"","Options":{"RequestAddressType":"com.docker.network.gateway"}}""");
        Assert.Equal("10.1.0.254/24", gateway.Text("Address"));
        PluginAnswer address = await _plugin.PostAsync("IpamDriver.RequestAddress", """{"PoolID":"patchbay:globex:10.1.0.0/24","Address":"10.1.0.9","Options":{}}""");
        Assert.Equal("10.1.0.9/24", address.Text("Address"));
        Assert.Equal("red", Assert.Single(_model.Endpoints).Network);
    }

    [Fact]
    public async Task RequestAddress_TakenAddress_ErrFromTheController()
    {
        _model.AddNetwork("blue", "acme", "10.1.0.0/24", "10.1.0.1");
        _model.AddEndpoint("web1", "blue", "h2", "10.1.0.9");
        PluginAnswer answer = await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.9","Options":{}}""");
        Assert.Equal(500, answer.Status);
        Assert.Equal("the Patchbay controller refused: ip 10.1.0.9 is already used in network 'blue'", answer.Err);
    }

    [Fact]
    public async Task ReleaseAddress_ReservationDockerNeverUsed_Freed()
    {
        _model.AddNetwork("blue", "acme", "10.1.0.0/24", "10.1.0.1");
        Assert.Equal("10.1.0.2/24", (await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"","Options":{}}""")).Text("Address"));
        Assert.Single(_model.Endpoints);
        Assert.Null((await _plugin.PostAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.2"}""")).Err);
        Assert.Empty(_model.Endpoints);
    }

    [Fact]
    public async Task AuxAddress_ReleasedAfterDeleteNetwork_NetworkDeletedAtReleasePool()
    {
        await _plugin.PostAsync("IpamDriver.RequestPool", """{"AddressSpace":"patchbay-local","Pool":"10.1.0.0/24","SubPool":"","Options":{},"V6":false}""");
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        Assert.Equal("10.1.0.200/24", (await _plugin.PostAsync("IpamDriver.RequestAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.200","Options":null}""")).Text("Address"));

        Assert.Null((await _plugin.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{NetworkId}}}"}""")).Err);
        Assert.Single(_model.Networks);
        Assert.Null((await _plugin.PostAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.200"}""")).Err);
        Assert.Null((await _plugin.PostAsync("IpamDriver.ReleasePool", $$$"""{"PoolID":"{{{Pool}}}"}""")).Err);
        Assert.Empty(_model.Networks);
        Assert.Empty(_model.Endpoints);
    }

    [Fact]
    public async Task ReleasePool_NetworkStillMapped_Kept()
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        Assert.Null((await _plugin.PostAsync("IpamDriver.ReleasePool", $$$"""{"PoolID":"{{{Pool}}}"}""")).Err);
        Assert.Single(_model.Networks);
        Assert.Equal("'nonsense' is not a pool of the patchbay IPAM driver (expected patchbay:TENANT:SUBNET)", (await _plugin.PostAsync("IpamDriver.ReleasePool", """{"PoolID":"nonsense"}""")).Err);
    }

    [Fact]
    public async Task ReleaseAddress_AddressOfAnotherEndpoint_LeftAlone()
    {
        _model.AddNetwork("blue", "acme", "10.1.0.0/24", "10.1.0.1");
        _model.AddEndpoint("web1", "blue", "h1", "10.1.0.2");
        Assert.Null((await _plugin.PostAsync("IpamDriver.ReleaseAddress", $$$"""{"PoolID":"{{{Pool}}}","Address":"10.1.0.2"}""")).Err);
        Assert.Single(_model.Endpoints);
    }

    [Fact]
    public async Task Join_AfterAgentRestart_FindsNetworkAndEndpointFromTheirLabels()
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        var links = new FakeDockerLinks();
        await using DockerPluginHost restarted = await DockerPluginHost.StartAsync("h1", _model, links);
        PluginAnswer join = await restarted.PostAsync("NetworkDriver.Join", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","SandboxKey":"/var/run/docker/netns/x","Options":{}}""");
        Assert.Equal(200, join.Status);
        Assert.Equal("docker-" + EndpointId[..12], Assert.Single(links.Plugged.Keys));
        Assert.Null((await restarted.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"))).Err);
    }

    [Fact]
    public async Task Join_EndpointNeverCreated_Err()
    {
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.Join", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","SandboxKey":"/var/run/docker/netns/x","Options":{}}""");
        Assert.Equal(500, answer.Status);
        Assert.Equal($"endpoint {EndpointId[..12]} was never created on host 'h1' (CreateEndpoint comes before Join)", answer.Err);
        Assert.Empty(_links.Plugged);
    }

    [Theory]
    [InlineData(true, "host plumbing failed on 'h1': 'ip link add' exited 2: RTNETLINK answers: File exists")]
    [InlineData(false, "NetworkDriver.Join failed inside the patchbay driver: boom")]
    public async Task Join_PlumbingFails_ErrCarriesTheReason(bool hostCommand, string err)
    {
        await _plugin.PostAsync("NetworkDriver.CreateNetwork", CreateNetworkBody(NetworkId, "blue", null));
        await _plugin.PostAsync("NetworkDriver.CreateEndpoint", CreateEndpointBody(NetworkId, EndpointId, "10.1.0.7/24"));
        _links.PlugFailure = hostCommand ? new HostCommandException("'ip link add' exited 2: RTNETLINK answers: File exists") : new NotSupportedException("boom");
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.Join", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","SandboxKey":"/var/run/docker/netns/x","Options":{}}""");
        Assert.Equal((500, err), (answer.Status, answer.Err));
        Assert.Null(Assert.Single(_model.Endpoints).OvsPort);
    }

    [Fact]
    public async Task LeaveAndDeleteEndpoint_UnknownEndpoint_SucceedAsDockerRetries()
    {
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.Leave", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DeleteEndpoint", $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}"}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DeleteNetwork", $$$"""{"NetworkID":"{{{NetworkId}}}"}""")).Status);
    }

    [Fact]
    public async Task ProgramExternalConnectivity_PublishedPorts_ErrSaysNotSupported()
    {
        string body = $$$"""{"NetworkID":"{{{NetworkId}}}","EndpointID":"{{{EndpointId}}}","Options":{"com.docker.network.portmap":[{"Proto":6,"IP":"","Port":80,"HostIP":"","HostPort":8080,"HostPortEnd":8080}]}}""";
        PluginAnswer answer = await _plugin.PostAsync("NetworkDriver.ProgramExternalConnectivity", body);
        Assert.Equal(500, answer.Status);
        Assert.Contains("does not publish container ports", answer.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_NewAndDelete_Succeed()
    {
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DiscoverNew", """{"DiscoveryType":1,"DiscoveryData":{"Address":"198.18.0.2","self":false}}""")).Status);
        Assert.Equal(200, (await _plugin.PostAsync("NetworkDriver.DiscoverDelete", """{"DiscoveryType":1,"DiscoveryData":{"Address":"198.18.0.2","self":false}}""")).Status);
    }

    [Theory]
    [InlineData("NetworkDriver.Join", "{not json", 400)]
    [InlineData("NetworkDriver.Join", "", 400)]
    [InlineData("NetworkDriver.Join", """{"NetworkID":"a/b","EndpointID":"x"}""", 500)]
    [InlineData("NetworkDriver.AllocateNetwork", "{}", 404)]
    public async Task BadRequest_AnsweredWithErr(string method, string body, int status)
    {
        PluginAnswer answer = await _plugin.PostAsync(method, body);
        Assert.Equal(status, answer.Status);
        Assert.False(string.IsNullOrEmpty(answer.Err));
        Assert.Equal(DockerPluginApi.ContentType, answer.ContentType);
    }

    private static string CreateNetworkBody(string networkId, string? network, string? tenant)
    {
        var generic = new Dictionary<string, string>();
        if (network is not null)
        {
            generic["patchbay.network"] = network;
        }

        if (tenant is not null)
        {
            generic["patchbay.tenant"] = tenant;
        }

        return $$$"""{"NetworkID":"{{{networkId}}}","Options":{"com.docker.network.enable_ipv6":false,"com.docker.network.generic":{{{JsonSerializer.Serialize(generic)}}}},"IPv4Data":[{"AddressSpace":"patchbay-local","Pool":"10.1.0.0/24","Gateway":"10.1.0.1/24","AuxAddresses":null}],"IPv6Data":[]}""";
    }

    private static string CreateEndpointBody(string networkId, string endpointId, string address) =>
        $$$"""{"NetworkID":"{{{networkId}}}","EndpointID":"{{{endpointId}}}","Interface":{"Address":"{{{address}}}","AddressIPv6":"","MacAddress":""},"Options":{"com.docker.network.endpoint.exposedports":[],"com.docker.network.portmap":[]}}""";
}
