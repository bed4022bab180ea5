// The REST contract in process: shapes, status codes, IPAM through the API, and problem details on errors.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class RestApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.EnsureTenantsAsync("t1", "t2");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Healthz_Always_AnswersOk()
    {
        HttpResponseMessage response = await _controller.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task PostNetwork_Valid_CreatesWithDefaultGatewayAndLocation()
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "t1", "10.1.0.0/24"));
        NetworkView network = await ControllerHarness.ReadAsync<NetworkView>(response, HttpStatusCode.Created);

        Assert.Equal(new NetworkView("blue", "t1", "10.1.0.0/24", "10.1.0.1", "0a:50:42:00:00:01"), network with { Labels = null });
        Assert.Empty(network.Labels!);
        Assert.Equal("/v1/networks/blue", response.Headers.Location?.ToString());
        Assert.Equal(network with { Labels = null }, (await _controller.GetAsync<NetworkView>("/v1/networks/blue")) with { Labels = null });
        Assert.Equal(["blue"], (await _controller.GetAsync<ListResponse<NetworkView>>("/v1/networks")).Items.Select(n => n.Name));
    }

    [Fact]
    public async Task PostNetwork_DuplicateName_Conflict()
    {
        await _controller.CreateNetworkAsync("blue");

        HttpResponseMessage response = await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "t1", "10.2.0.0/24"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "blue");
    }

    [Theory]
    [InlineData("10.1.0.0", "not an IPv4 subnet")]
    [InlineData("10.1.0.1/24", "host bits")]
    [InlineData("10.1.0.0/31", "no room")]
    public async Task PostNetwork_BadSubnet_BadRequest(string subnet, string detail)
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "t1", subnet));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task PostNetwork_GatewayOutsideSubnet_BadRequest()
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "t1", "10.1.0.0/24", "10.2.0.1"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "gateway");
    }

    [Fact]
    public async Task PostNetwork_MalformedJson_BadRequestProblem()
    {
        using var content = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        HttpResponseMessage response = await _controller.Client.PostAsync("/v1/networks", content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not a valid");
    }

    [Fact]
    public async Task PostNetwork_MissingField_BadRequestNamingIt()
    {
        using var content = new StringContent("{\"name\": \"blue\", \"tenant\": \"t1\"}", Encoding.UTF8, "application/json");
        HttpResponseMessage response = await _controller.Client.PostAsync("/v1/networks", content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "'subnet' is required");
    }

    [Fact]
    public async Task PostNetwork_NotJson_UnsupportedMediaTypeProblem()
    {
        using var content = new StringContent("name=blue", Encoding.UTF8, "text/plain");
        HttpResponseMessage response = await _controller.Client.PostAsync("/v1/networks", content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "must be JSON");
    }

    [Theory]
    [InlineData("/v1/networks/nope", "network")]
    [InlineData("/v1/endpoints/nope", "endpoint")]
    [InlineData("/v1/hosts/nope", "host")]
    public async Task Get_Unknown_NotFoundProblem(string path, string what)
    {
        HttpResponseMessage response = await _controller.Client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, $"{what} 'nope' does not exist");
    }

    [Fact]
    public async Task PostEndpoint_NoAddress_AllocatesLowestFreeSkippingGatewayAndMacFromId()
    {
        await _controller.CreateNetworkAsync("blue");

        EndpointView first = await _controller.CreateEndpointAsync("c1", "blue", "h1");
        EndpointView second = await _controller.CreateEndpointAsync("c2", "blue", "h1");

        Assert.Equal("10.1.0.2", first.Ip);
        Assert.Equal("10.1.0.3", second.Ip);
        Assert.Equal(24, first.PrefixLength);
        Assert.Equal("10.1.0.1", first.Gateway);
        Assert.Equal("0e:50:42:00:00:01", first.Mac);
        Assert.Equal("0e:50:42:00:00:02", second.Mac);
        Assert.Equal("t1", first.Tenant);
        Assert.Null(first.OvsPort);
    }

    [Fact]
    public async Task PostEndpoint_AfterDelete_ReusesLowestFreeAddress()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");
        await _controller.CreateEndpointAsync("c2", "blue", "h1");

        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/endpoints/c1")).StatusCode);
        EndpointView third = await _controller.CreateEndpointAsync("c3", "blue", "h1");

        Assert.Equal("10.1.0.2", third.Ip);
    }

    [Fact]
    public async Task PostEndpoint_RequestedAddressAndMac_Kept()
    {
        await _controller.CreateNetworkAsync("blue");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "blue", "h1", Ip: "10.1.0.77", Mac: "02:aa:bb:cc:dd:ee", Labels: new Dictionary<string, string> { ["app"] = "web" }));
        EndpointView endpoint = await ControllerHarness.ReadAsync<EndpointView>(response, HttpStatusCode.Created);

        Assert.Equal("10.1.0.77", endpoint.Ip);
        Assert.Equal("02:aa:bb:cc:dd:ee", endpoint.Mac);
        Assert.Equal("web", endpoint.Labels["app"]);
        Assert.Equal("/v1/endpoints/c1", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("10.1.0.0", "network address")]
    [InlineData("10.1.0.1", "gateway address")]
    [InlineData("10.1.0.255", "broadcast address")]
    [InlineData("10.2.0.5", "not in blue's subnet")]
    [InlineData("10.1.0.300", "not an IPv4 address")]
    public async Task PostEndpoint_UnusableAddress_BadRequest(string ip, string detail)
    {
        await _controller.CreateNetworkAsync("blue");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "blue", "h1", Ip: ip));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task PostEndpoint_AddressTaken_Conflict()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1", ip: "10.1.0.9");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c2", "blue", "h1", Ip: "10.1.0.9"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "10.1.0.9 is already used");
    }

    [Fact]
    public async Task PostEndpoint_SameAddressInAnotherNetwork_Allowed()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateNetworkAsync("red", tenant: "t2");

        EndpointView blue = await _controller.CreateEndpointAsync("c1", "blue", "h1");
        EndpointView red = await _controller.CreateEndpointAsync("c2", "red", "h1");

        Assert.Equal(blue.Ip, red.Ip);
        Assert.NotEqual(blue.Mac, red.Mac);
    }

    [Fact]
    public async Task PostEndpoint_NameTaken_Conflict()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "blue", "h2"));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "'c1' already exists");
    }

    [Fact]
    public async Task PostEndpoint_SubnetExhausted_ConflictSayingSo()
    {
        await _controller.CreateNetworkAsync("tiny", "10.9.0.0/30");
        EndpointView only = await _controller.CreateEndpointAsync("c1", "tiny", "h1");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c2", "tiny", "h1"));

        Assert.Equal("10.9.0.2", only.Ip);
        await AssertProblemAsync(response, HttpStatusCode.Conflict, "no free address");
    }

    [Fact]
    public async Task PostEndpoint_UnknownNetwork_BadRequest()
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "nope", "h1"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "network 'nope' does not exist");
    }

    [Fact]
    public async Task PostEndpoint_OtherTenant_BadRequest()
    {
        await _controller.CreateNetworkAsync("blue");

        HttpResponseMessage response = await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "blue", "h1", Tenant: "t9"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "tenant 't1'");
    }

    [Fact]
    public async Task GetEndpoints_FilterByHostAndNetwork_ListsOnlyThose()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateNetworkAsync("red", "10.2.0.0/24");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");
        await _controller.CreateEndpointAsync("c2", "blue", "h2");
        await _controller.CreateEndpointAsync("c3", "red", "h1");

        Assert.Equal(["c1", "c3"], (await _controller.GetAsync<ListResponse<EndpointView>>("/v1/endpoints?host=h1")).Items.Select(e => e.Name));
        Assert.Equal(["c1", "c2"], (await _controller.GetAsync<ListResponse<EndpointView>>("/v1/endpoints?network=blue")).Items.Select(e => e.Name));
        Assert.Equal(["c1"], (await _controller.GetAsync<ListResponse<EndpointView>>("/v1/endpoints?host=h1&network=blue")).Items.Select(e => e.Name));
    }

    [Fact]
    public async Task PutPort_KnownEndpoint_RecordsPort()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");

        EndpointView plugged = await _controller.SetPortAsync("c1", 7);

        Assert.Equal(7u, plugged.OvsPort);
        Assert.Equal(7u, (await _controller.GetAsync<EndpointView>("/v1/endpoints/c1")).OvsPort);
    }

    [Fact]
    public async Task PutPort_UnknownEndpoint_NotFound()
    {
        HttpResponseMessage response = await _controller.Client.PutAsJsonAsync("/v1/endpoints/nope/port", new EndpointPort(3), PatchbayJsonContext.Default.EndpointPort);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "endpoint 'nope'");
    }

    [Fact]
    public async Task PutPort_Zero_BadRequest()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");

        HttpResponseMessage response = await _controller.Client.PutAsJsonAsync("/v1/endpoints/c1/port", new EndpointPort(0), PatchbayJsonContext.Default.EndpointPort);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "ovsPort 0");
    }

    [Fact]
    public async Task DeleteNetwork_WithEndpoints_ConflictThenDeletedOnceEmpty()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");

        await AssertProblemAsync(await _controller.Client.DeleteAsync("/v1/networks/blue"), HttpStatusCode.Conflict, "1 endpoint");
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/endpoints/c1")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/networks/blue")).StatusCode);
        await AssertProblemAsync(await _controller.Client.DeleteAsync("/v1/networks/blue"), HttpStatusCode.NotFound, "network 'blue'");
    }

    [Fact]
    public async Task PostHost_Registration_UpsertsAndListsAsRegistered()
    {
        HostView first = await _controller.RegisterHostAsync("h1", 1);
        HostView again = await ControllerHarness.ReadAsync<HostView>(await _controller.PostAsync("/v1/hosts", ControllerHarness.Host("h1", 1, uplinkPort: 9)));

        Assert.Equal("0000000000000001", first.DatapathId);
        Assert.Equal("registered", first.State);
        Assert.Equal(9u, again.UplinkPort);
        Assert.Single((await _controller.GetAsync<ListResponse<HostView>>("/v1/hosts")).Items);
    }

    [Fact]
    public async Task PostHost_DatapathOfAnotherHost_Conflict()
    {
        await _controller.RegisterHostAsync("h1", 1);

        HttpResponseMessage response = await _controller.PostAsync("/v1/hosts", ControllerHarness.Host("h2", 1));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "belongs to host 'h1'");
    }

    [Theory]
    [InlineData("xyz", "02:00:00:00:00:01", "198.18.0.1", "datapathId")]
    [InlineData("00000000000000001", "02:00:00:00:00:01", "198.18.0.1", "datapathId")]
    [InlineData("1", "02:00:00:00:00", "198.18.0.1", "uplinkMac")]
    [InlineData("1", "02:00:00:00:00:01", "198.18.0", "underlayIp")]
    public async Task PostHost_MalformedField_BadRequestNamingIt(string datapath, string mac, string ip, string field)
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/hosts", new HostRegistration("h1", datapath, mac, 1, ip, "fabric"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task GetConversations_BadState_BadRequest()
    {
        await AssertProblemAsync(await _controller.Client.GetAsync("/v1/conversations?state=sleeping"), HttpStatusCode.BadRequest, "'active' or 'ended'");
        Assert.Empty((await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=active")).Items);
    }

    [Fact]
    public async Task GetDrops_NothingDropped_EmptyList()
    {
        Assert.Empty((await _controller.GetAsync<ListResponse<DropView>>("/v1/drops")).Items);
    }

    [Fact]
    public async Task Json_OnTheWire_IsCamelCase()
    {
        await _controller.CreateNetworkAsync("blue");
        string text = await _controller.Client.GetStringAsync("/v1/networks/blue");

        using JsonDocument document = JsonDocument.Parse(text);
        Assert.Equal("0a:50:42:00:00:01", document.RootElement.GetProperty("gatewayMac").GetString());
    }

    private static Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains) =>
        ApiAssert.ProblemAsync(response, status, detailContains);
}
