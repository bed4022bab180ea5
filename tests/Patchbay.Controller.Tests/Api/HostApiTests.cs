// /v1/hosts beyond registration: delete, and its refusals.
using System.Net;
using System.Net.Http.Json;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class HostApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.EnsureTenantsAsync("t1", "t2");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Delete_WithEndpoints_ConflictThenNoContentOnceEmpty()
    {
        await _controller.RegisterHostAsync("h1", 1);
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");

        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/hosts/h1"), HttpStatusCode.Conflict, "h1");
        Assert.Equal(["h1"], await _controller.NamesAsync("/v1/hosts"));
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/endpoints/c1")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/hosts/h1")).StatusCode);
        Assert.Empty(await _controller.NamesAsync("/v1/hosts"));
        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/hosts/h1"), HttpStatusCode.NotFound, "host 'h1'");
    }

    [Theory]
    [InlineData("""{"name": "h1", "datapathId": "1", "uplinkMac": "02:00:00:00:00:01", "uplinkPort": 0, "underlayIp": "198.18.0.1", "segment": "f"}""", "uplinkPort")]
    [InlineData("""{"name": "h1", "datapathId": "1", "uplinkMac": "02:00:00:00:00:01", "uplinkPort": -1, "underlayIp": "198.18.0.1", "segment": "f"}""", "uplinkPort")]
    [InlineData("""{"name": "h1", "datapathId": "1", "uplinkMac": "02:00:00:00:00:01", "uplinkPort": "one", "underlayIp": "198.18.0.1", "segment": "f"}""", "uplinkPort")]
    [InlineData("""{"name": "h1", "datapathId": "1", "uplinkMac": "02:00:00:00:00:01", "uplinkPort": 1, "underlayIp": "198.18.0.1"}""", "segment")]
    [InlineData("""{"name": "h1", "datapathId": "1", "uplinkMac": "02:00:00:00:00:01", "uplinkPort": 1, "underlayIp": "198.18.0.1", "segment": "f", "role": "x"}""", "role")]
    public async Task Post_Invalid_BadRequestNamingFieldAndNothingStored(string body, string field)
    {
        await ApiAssert.ProblemAsync(await _controller.SendJsonAsync(HttpMethod.Post, "/v1/hosts", body), HttpStatusCode.BadRequest, "", field);
        Assert.Empty(await _controller.NamesAsync("/v1/hosts"));
    }

    [Fact]
    public async Task Post_DatapathOfAnotherHost_ConflictNamingDatapathIdAndNothingStored()
    {
        await _controller.RegisterHostAsync("h1", 1);

        HttpResponseMessage response = await _controller.PostAsync("/v1/hosts", ControllerHarness.Host("h2", 1));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "belongs to host 'h1'", "datapathId");
        Assert.Equal(["h1"], await _controller.NamesAsync("/v1/hosts"));
    }

    [Fact]
    public async Task PutPort_TakenOnTheHost_ConflictNamingOvsPortAndKept()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.CreateEndpointAsync("c1", "blue", "h1");
        await _controller.CreateEndpointAsync("c2", "blue", "h1");
        await _controller.SetPortAsync("c1", 4);

        HttpResponseMessage response = await _controller.Client.PutAsJsonAsync("/v1/endpoints/c2/port", new EndpointPort(4), PatchbayJsonContext.Default.EndpointPort);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "c1", "ovsPort");
        Assert.Null((await _controller.GetAsync<EndpointView>("/v1/endpoints/c2")).OvsPort);
    }

    [Fact]
    public async Task Client_RegisterGetListDelete_RoundTrip()
    {
        using var api = new PatchbayApiClient(_controller.Client);

        HostView registered = await api.RegisterHostAsync(ControllerHarness.Host("h7", 7));
        HostView got = await api.GetHostAsync("h7");
        IReadOnlyList<HostView> all = await api.ListHostsAsync();
        await api.DeleteHostAsync("h7");
        PatchbayApiException missing = await Assert.ThrowsAsync<PatchbayApiException>(() => api.GetHostAsync("h7"));

        Assert.Equal(registered, got);
        Assert.Equal(["h7"], all.Select(h => h.Name));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }
}
