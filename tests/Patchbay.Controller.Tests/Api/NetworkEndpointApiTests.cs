// Networks and endpoints beyond the basics of RestApiTests: the default tenant, labels on create and by
// PATCH, overlapping subnets, the list filters, and refusals that store nothing.
using System.Net;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class NetworkEndpointApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.EnsureTenantsAsync("t1", "t2");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task PostNetwork_NoTenant_DefaultTenantAndLabelsKept()
    {
        NetworkView network = await ControllerHarness.ReadAsync<NetworkView>(
            await _controller.SendJsonAsync(HttpMethod.Post, "/v1/networks", """{"name": "blue", "subnet": "10.1.0.0/24", "labels": {"env": "prod"}}"""),
            HttpStatusCode.Created);

        Assert.Equal("default", network.Tenant);
        Assert.Equal("prod", network.Labels!["env"]);
    }

    [Fact]
    public async Task PostNetwork_UnknownTenant_NotFoundAndNothingStored()
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "nope", "10.1.0.0/24"));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "tenant 'nope'");
        Assert.Empty(await _controller.NamesAsync("/v1/networks"));
    }

    [Fact]
    public async Task PostNetwork_OverlapInOneTenant_ConflictNamingSubnet_OtherTenantAllowed()
    {
        await _controller.CreateNetworkAsync("blue", "10.1.0.0/16", "t1");

        HttpResponseMessage overlap = await _controller.PostAsync("/v1/networks", new NetworkCreate("green", "t1", "10.1.2.0/24"));
        HttpResponseMessage same = await _controller.PostAsync("/v1/networks", new NetworkCreate("red", "t2", "10.1.0.0/16"));

        await ApiAssert.ProblemAsync(overlap, HttpStatusCode.Conflict, "10.1", field: "subnet");
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(["blue", "red"], await _controller.NamesAsync("/v1/networks"));
    }

    [Theory]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0"}""", "subnet")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0/24", "gateway": "10.2.0.1"}""", "gateway")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0/24", "gateway": "x"}""", "gateway")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0/31"}""", "subnet")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0/24", "labels": {"a": "b", "c": 1}}""", "labels.c")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": 10}""", "subnet")]
    [InlineData("""{"name": "blue", "tenant": "t1", "subnet": "10.1.0.0/24", "vlan": 4}""", "vlan")]
    [InlineData("""{"name": "bl ue", "tenant": "t1", "subnet": "10.1.0.0/24"}""", "name")]
    public async Task PostNetwork_Invalid_BadRequestNamingFieldAndNothingStored(string body, string field)
    {
        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/networks", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "", field);
        Assert.Empty(await _controller.NamesAsync("/v1/networks"));
    }

    [Fact]
    public async Task PatchNetwork_Labels_MergedAndOtherFieldsRefused()
    {
        await _controller.CreateNetworkAsync("blue");

        NetworkView patched = await ControllerHarness.ReadAsync<NetworkView>(await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/networks/blue", """{"labels": {"env": "prod"}}"""));
        HttpResponseMessage subnet = await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/networks/blue", """{"subnet": "10.9.0.0/24"}""");

        Assert.Equal("prod", patched.Labels!["env"]);
        await ApiAssert.ProblemAsync(subnet, HttpStatusCode.BadRequest, "'subnet' cannot be changed", field: "subnet");
        NetworkView stored = await _controller.GetAsync<NetworkView>("/v1/networks/blue");
        Assert.Equal("10.1.0.0/24", stored.Subnet);
        Assert.Equal("prod", stored.Labels!["env"]);
        await ApiAssert.ProblemAsync(await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/networks/nope", "{}"), HttpStatusCode.NotFound, "network 'nope'");
    }

    [Fact]
    public async Task PatchEndpoint_Labels_MergedAndRemoved()
    {
        await _controller.CreateNetworkAsync("blue");
        await ControllerHarness.ReadAsync<EndpointView>(
            await _controller.PostAsync("/v1/endpoints", new EndpointCreate("c1", "blue", "h1", Labels: new Dictionary<string, string> { ["app"] = "web", ["tier"] = "1" })),
            HttpStatusCode.Created);

        EndpointView patched = await ControllerHarness.ReadAsync<EndpointView>(await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/endpoints/c1", """{"labels": {"tier": null, "zone": "a"}}"""));

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["zone"] = "a" }, patched.Labels);
        Assert.Equal(patched.Labels, (await _controller.GetAsync<EndpointView>("/v1/endpoints/c1")).Labels);
        await ApiAssert.ProblemAsync(await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/endpoints/nope", "{}"), HttpStatusCode.NotFound, "endpoint 'nope'");
    }

    [Theory]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "ip": "10.1.0.300"}""", HttpStatusCode.BadRequest, "ip")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "ip": "10.1.0.1"}""", HttpStatusCode.BadRequest, "ip")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "ip": "10.7.0.1"}""", HttpStatusCode.BadRequest, "ip")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "ip": "10.1.0.9"}""", HttpStatusCode.Conflict, "ip")]
    [InlineData("""{"name": "c9", "network": "blue", "host": "h1"}""", HttpStatusCode.Conflict, "name")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "mac": "zz"}""", HttpStatusCode.BadRequest, "mac")]
    [InlineData("""{"name": "c1", "network": "nope", "host": "h1"}""", HttpStatusCode.BadRequest, "network")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "tenant": "t2"}""", HttpStatusCode.BadRequest, "tenant")]
    [InlineData("""{"name": "c1", "network": "blue"}""", HttpStatusCode.BadRequest, "host")]
    [InlineData("""{"name": "c1", "network": "blue", "host": "h1", "labels": {"k": ["v"]}}""", HttpStatusCode.BadRequest, "labels.k")]
    public async Task PostEndpoint_Refused_NamesFieldAndStoresNothing(string body, HttpStatusCode status, string field)
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c9", "blue", "h1", ip: "10.1.0.9");

        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/endpoints", body);

        await ApiAssert.ProblemAsync(response, status, "", field);
        Assert.Equal(["c9"], await _controller.NamesAsync("/v1/endpoints"));
        EndpointView next = await _controller.CreateEndpointAsync("c2", "blue", "h1");
        Assert.Equal("10.1.0.2", next.Ip);
    }

    [Fact]
    public async Task GetEndpoints_TenantAndLabelFilters_AllMustMatch()
    {
        await _controller.CreateNetworkAsync("blue", tenant: "t1");
        await _controller.CreateNetworkAsync("red", tenant: "t2");
        await CreateLabelledAsync("a", "blue", new() { ["app"] = "web", ["env"] = "prod" });
        await CreateLabelledAsync("b", "blue", new() { ["app"] = "db", ["env"] = "prod" });
        await CreateLabelledAsync("c", "red", new() { ["app"] = "web" });
        await CreateLabelledAsync("d", "red", []);

        Assert.Equal(["a", "b"], await _controller.NamesAsync("/v1/endpoints?tenant=t1"));
        Assert.Equal(["a", "c"], await _controller.NamesAsync("/v1/endpoints?label=app=web"));
        Assert.Equal(["a", "b", "c"], await _controller.NamesAsync("/v1/endpoints?label=app"));
        Assert.Equal(["a"], await _controller.NamesAsync("/v1/endpoints?label=app=web&label=env"));
        Assert.Equal(["c"], await _controller.NamesAsync("/v1/endpoints?label=app%3Dweb&tenant=t2"));
        Assert.Empty(await _controller.NamesAsync("/v1/endpoints?label=app=web&network=blue&host=h2"));
        Assert.Empty(await _controller.NamesAsync("/v1/endpoints?tenant=nobody"));
    }

    [Fact]
    public async Task GetNetworks_TenantAndLabelFilters()
    {
        await ControllerHarness.ReadAsync<NetworkView>(await _controller.PostAsync("/v1/networks", new NetworkCreate("blue", "t1", "10.1.0.0/24", Labels: new Dictionary<string, string> { ["env"] = "prod" })), HttpStatusCode.Created);
        await _controller.CreateNetworkAsync("red", "10.1.0.0/24", "t2");
        await _controller.CreateNetworkAsync("green", "10.2.0.0/24", "t1");

        Assert.Equal(["blue", "green"], await _controller.NamesAsync("/v1/networks?tenant=t1"));
        Assert.Equal(["blue"], await _controller.NamesAsync("/v1/networks?label=env=prod"));
        Assert.Empty(await _controller.NamesAsync("/v1/networks?label=env=dev"));
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/networks?host=h1"), HttpStatusCode.BadRequest, "unknown query parameter 'host'", "host");
    }

    private async Task<EndpointView> CreateLabelledAsync(string name, string network, Dictionary<string, string> labels) =>
        await ControllerHarness.ReadAsync<EndpointView>(
            await _controller.PostAsync("/v1/endpoints", new EndpointCreate(name, network, name == "b" ? "h2" : "h1", Labels: labels)),
            HttpStatusCode.Created);
}
