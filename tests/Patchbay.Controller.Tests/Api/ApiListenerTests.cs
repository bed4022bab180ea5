// The API on real Kestrel, on a unix socket and a loopback TCP port at once: both answer the same state,
// and Kestrel's own body limit answers 413 problem details too.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Tests.Api;

public sealed class ApiListenerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pb-api-").FullName;
    private WebApplication _app = null!;
    private string _unix = null!;
    private string _tcp = null!;

    public async Task InitializeAsync()
    {
        _unix = "unix:" + Path.Combine(_directory, "api.sock");
        _app = ControllerApplication.Build(
            new ControllerOptions { Api = [ApiAddress.Parse(_unix), ApiAddress.Parse("http://127.0.0.1:0")] },
            builder => builder.Logging.ClearProviders());
        await _app.StartAsync();
        string bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        _tcp = bound;
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task UnixAndTcp_Together_ServeOneState()
    {
        using var overUnix = PatchbayApiClient.Create(_unix);
        using var overTcp = PatchbayApiClient.Create(_tcp);

        await overUnix.CreateTenantAsync(new TenantCreate("acme"));
        await overTcp.CreateNetworkAsync(new NetworkCreate("blue", "acme", "10.1.0.0/24"));

        Assert.True(await overUnix.IsReadyAsync());
        Assert.True(await overTcp.IsReadyAsync());
        Assert.Equal(["acme", "default"], (await overTcp.ListAllTenantsAsync()).Select(t => t.Name));
        Assert.Equal("acme", (await overUnix.GetNetworkAsync("blue")).Tenant);
        PatchbayApiException duplicate = await Assert.ThrowsAsync<PatchbayApiException>(() => overUnix.CreateNetworkAsync(new NetworkCreate("blue", "acme", "10.2.0.0/24")));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Kestrel_BodyOverLimit_PayloadTooLargeProblemAndNothingStored(bool declareLength)
    {
        using HttpClient http = PatchbayHttp.CreateClient(_tcp);
        byte[] bytes = Encoding.UTF8.GetBytes("{\"name\": \"big\", \"labels\": {\"k\": \"" + new string('x', 200 * 1024) + "\"}}");
        using HttpContent content = declareLength ? new ByteArrayContent(bytes) : new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        HttpResponseMessage response = await http.PostAsync(new Uri("v1/tenants", UriKind.Relative), content);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "65536", "body");
        using var api = new PatchbayApiClient(http);
        Assert.Equal(["default"], (await api.ListAllTenantsAsync()).Select(t => t.Name));
    }

    /// <summary>A stream without a length, so that the client sends the body chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
