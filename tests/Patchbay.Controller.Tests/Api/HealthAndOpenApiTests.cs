// /healthz, /readyz (200 once the state is loaded and the OpenFlow listener is up, 503 problem details
// otherwise) and the OpenAPI document: every mapped route is in it, every /v1 operation with its problems.
using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Controller.Hosting;
using Patchbay.Controller.State;

namespace Patchbay.Controller.Tests.Api;

public sealed class HealthAndOpenApiTests : IAsyncLifetime
{
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() => _controller = await ControllerHarness.StartAsync();

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task Readyz_StateLoadedAndListenerUp_Ready()
    {
        HttpResponseMessage response = await _controller.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Readyz_OpenFlowListenerStopped_ServiceUnavailableProblem_HealthzStillOk()
    {
        await _controller.App.Services.GetRequiredService<OpenFlowService>().StopAsync(CancellationToken.None);

        await ApiAssert.ProblemAsync(await _controller.Client.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "OpenFlow listener is not started");
        Assert.Equal(HttpStatusCode.OK, (await _controller.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_StateNotLoaded_ServiceUnavailableProblem()
    {
        WebApplication app = ControllerApplication.Build(new ControllerOptions(), builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IControllerState>(services => UnloadedState.Over(services.GetRequiredService<StoreControllerState>()));
        });
        await app.StartAsync();
        try
        {
            using HttpClient client = app.GetTestClient();

            await ApiAssert.ProblemAsync(await client.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable, "the state is not loaded from the store yet");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task OpenApi_DescribesEveryRouteWithProblemResponses()
    {
        HttpResponseMessage response = await _controller.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement paths = document.RootElement.GetProperty("paths");

        List<(string Path, string Method)> routes = [.. _controller.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/openapi/{documentName}.json" && e.RoutePattern.RawText != "/openapi/v1.json")
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (e.RoutePattern.RawText!.TrimEnd('/'), m)))];

        Assert.Equal(40, routes.Count);
        foreach ((string path, string method) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out JsonElement item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out JsonElement operation), $"{method} {path} is not in the OpenAPI document");
            JsonElement responses = operation.GetProperty("responses");
            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{method} {path} has no success response");
            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                Assert.True(
                    responses.EnumerateObject().Any(r => r.Name.StartsWith('4') && r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _)),
                    $"{method} {path} has no problem-details response");
            }
        }

        Assert.Contains("label", paths.GetProperty("/v1/endpoints").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(paths.GetProperty("/v1/tenants").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        JsonElement problem = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("HttpValidationProblemDetails").GetProperty("properties");
        Assert.True(problem.TryGetProperty("field", out _));
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    /// <summary>The real state in every respect but one: it says it has not loaded the store yet.</summary>
    public class UnloadedState : DispatchProxy
    {
        private IControllerState _inner = null!;

        public static IControllerState Over(IControllerState inner)
        {
            IControllerState proxy = Create<IControllerState, UnloadedState>();
            ((UnloadedState)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == "get_" + nameof(IControllerState.IsReady) ? false : targetMethod.Invoke(_inner, args);
    }
}
