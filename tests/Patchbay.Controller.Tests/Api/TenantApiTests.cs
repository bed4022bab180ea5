// /v1/tenants in process: create, get, list, PATCH labels, delete, and every refusal with nothing stored.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.Core.Api;
using Patchbay.Store;

namespace Patchbay.Controller.Tests.Api;

public sealed class TenantApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() => _controller = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Post_Valid_CreatedWithLocationLabelsAndListed()
    {
        HttpResponseMessage response = await _controller.PostAsync("/v1/tenants", new TenantCreate("acme", new Dictionary<string, string> { ["tier"] = "gold" }));
        TenantView tenant = await ControllerHarness.ReadAsync<TenantView>(response, HttpStatusCode.Created);

        Assert.Equal("acme", tenant.Name);
        Assert.Equal("gold", tenant.Labels["tier"]);
        Assert.Equal("/v1/tenants/acme", response.Headers.Location?.ToString());
        Assert.Equal("gold", (await _controller.GetAsync<TenantView>("/v1/tenants/acme")).Labels["tier"]);
        IReadOnlyList<string> names = await _controller.NamesAsync("/v1/tenants");
        Assert.Contains("acme", names);
        Assert.Contains("default", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Post_Duplicate_ConflictNamingNameAndNothingStored()
    {
        await _controller.EnsureTenantsAsync("acme");
        IReadOnlyList<string> before = await _controller.NamesAsync("/v1/tenants");

        HttpResponseMessage response = await _controller.PostAsync("/v1/tenants", new TenantCreate("acme", new Dictionary<string, string> { ["x"] = "y" }));

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, "acme", field: "name");
        Assert.Empty((await _controller.GetAsync<TenantView>("/v1/tenants/acme")).Labels);
        Assert.Equal(before, await _controller.NamesAsync("/v1/tenants"));
    }

    [Theory]
    [InlineData("""{"name": "-bad"}""", "name")]
    [InlineData("""{"name": "a b"}""", "name")]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name": 7}""", "name")]
    [InlineData("""{"name": "ok", "labels": {"bad key": "v"}}""", "labels")]
    [InlineData("""{"name": "ok", "labels": {"k": 1}}""", "labels.k")]
    [InlineData("""{"name": "ok", "colour": "red"}""", "colour")]
    public async Task Post_Invalid_BadRequestNamingFieldAndNothingStored(string body, string field)
    {
        IReadOnlyList<string> before = await _controller.NamesAsync("/v1/tenants");

        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Post, "/v1/tenants", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "", field);
        Assert.Equal(before, await _controller.NamesAsync("/v1/tenants"));
    }

    [Fact]
    public async Task Get_Unknown_NotFound()
    {
        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/v1/tenants/nope"), HttpStatusCode.NotFound, "tenant 'nope'");
    }

    [Fact]
    public async Task Patch_Labels_MergedSetRemovedAndCleared()
    {
        await ControllerHarness.ReadAsync<TenantView>(await _controller.PostAsync("/v1/tenants", new TenantCreate("acme", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" })), HttpStatusCode.Created);

        TenantView merged = await ControllerHarness.ReadAsync<TenantView>(
            await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/tenants/acme", """{"labels": {"b": null, "c": "3"}}""", "application/merge-patch+json"));
        TenantView cleared = await ControllerHarness.ReadAsync<TenantView>(
            await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/tenants/acme", """{"labels": null}"""));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, merged.Labels);
        Assert.Empty(cleared.Labels);
        Assert.Empty((await _controller.GetAsync<TenantView>("/v1/tenants/acme")).Labels);
    }

    [Theory]
    [InlineData("""{"name": "other"}""", "name")]
    [InlineData("""{"labels": {"k": 5}}""", "labels.k")]
    [InlineData("""{"labels": ["k"]}""", "labels")]
    [InlineData("""{"labels": {"bad key": "v"}}""", "labels")]
    [InlineData("""[]""", "body")]
    public async Task Patch_Invalid_BadRequestNamingFieldAndLabelsKept(string body, string field)
    {
        await ControllerHarness.ReadAsync<TenantView>(await _controller.PostAsync("/v1/tenants", new TenantCreate("acme", new Dictionary<string, string> { ["a"] = "1" })), HttpStatusCode.Created);

        HttpResponseMessage response = await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/tenants/acme", body);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "", field);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, (await _controller.GetAsync<TenantView>("/v1/tenants/acme")).Labels);
    }

    [Fact]
    public async Task Patch_ConcurrentDistinctLabelsOnSlowStore_NoneLost()
    {
        WebApplication app = ControllerApplication.Build(new ControllerOptions(), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IStore>(new SlowCommitStore(new MemoryStore()));
        });
        await app.StartAsync();
        try
        {
            using HttpClient client = app.GetTestClient();
            using var api = new PatchbayApiClient(client);
            await api.CreateTenantAsync(new TenantCreate("acme"));

            await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                api.UpdateTenantAsync("acme", new ResourcePatch(new Dictionary<string, string?> { [$"k{i}"] = $"v{i}" }))));

            Assert.Equal(8, (await api.GetTenantAsync("acme")).Labels.Count);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Patch_Unknown_NotFound()
    {
        await ApiAssert.ProblemAsync(await _controller.SendJsonAsync(HttpMethod.Patch, "/v1/tenants/nope", """{"labels": {}}"""), HttpStatusCode.NotFound, "tenant 'nope'");
    }

    [Fact]
    public async Task Delete_WithNetworks_ConflictThenNoContentOnceEmpty()
    {
        await _controller.EnsureTenantsAsync("acme");
        await _controller.CreateNetworkAsync("blue", tenant: "acme");

        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/tenants/acme"), HttpStatusCode.Conflict, "acme");
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/networks/blue")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _controller.Client.DeleteAsync("/v1/tenants/acme")).StatusCode);
        await ApiAssert.ProblemAsync(await _controller.Client.DeleteAsync("/v1/tenants/acme"), HttpStatusCode.NotFound, "tenant 'acme'");
        Assert.DoesNotContain("acme", await _controller.NamesAsync("/v1/tenants"));
    }

    [Fact]
    public async Task Post_ConcurrentSameName_ExactlyOneWins()
    {
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _controller.PostAsync("/v1/tenants", new TenantCreate("race"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single(await _controller.NamesAsync("/v1/tenants"), "race");
    }
}
