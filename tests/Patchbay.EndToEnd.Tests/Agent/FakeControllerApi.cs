// A stand-in for the controller's REST API on a unix socket, just the resources an agent calls: it records host
// registrations, port reports and deletes, and allocates endpoint addresses in one network (10.77.0.0/24).
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Patchbay.Core.Api;

namespace Patchbay.EndToEnd.Tests.Agent;

internal sealed class FakeControllerApi : IAsyncDisposable
{
    public const string Network = "net1";
    public const string Gateway = "10.77.0.1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, EndpointView> _endpoints = new(StringComparer.Ordinal);
    private int _lastHost = 1;

    private FakeControllerApi(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public string Address => "unix:" + SocketPath;

    public ConcurrentQueue<HostRegistration> Registrations { get; } = new();

    public ConcurrentQueue<(string Endpoint, uint Port)> PortReports { get; } = new();

    public ConcurrentQueue<string> Deletes { get; } = new();

    public EndpointView? Find(string name) => _endpoints.TryGetValue(name, out EndpointView? view) ? view : null;

    public static async Task<FakeControllerApi> StartAsync(string socketPath)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, PatchbayJsonContext.Default));
        WebApplication app = builder.Build();
        var fake = new FakeControllerApi(app, socketPath);
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }

    private void Map(WebApplication app)
    {
        PatchbayJsonContext json = PatchbayJsonContext.Default;
        app.MapPost("/v1/hosts", async (HttpRequest request) =>
        {
            HostRegistration host = (await request.ReadFromJsonAsync(json.HostRegistration))!;
            Registrations.Enqueue(host);
            return Results.Json(new HostView(host.Name, host.DatapathId, host.UplinkMac, host.UplinkPort, host.UnderlayIp, host.Segment, "up", DateTimeOffset.UtcNow), json.HostView);
        });
        app.MapPost("/v1/endpoints", async (HttpRequest request) =>
        {
            EndpointCreate create = (await request.ReadFromJsonAsync(json.EndpointCreate))!;
            if (create.Network != Network)
            {
                return Results.Problem(detail: $"no network '{create.Network}'", statusCode: 404, title: "Not found");
            }

            int n = Interlocked.Increment(ref _lastHost);
            var view = new EndpointView(
                create.Name,
                create.Tenant ?? "t1",
                create.Network,
                create.Ip ?? string.Create(CultureInfo.InvariantCulture, $"10.77.0.{n}"),
                24,
                Gateway,
                string.Create(CultureInfo.InvariantCulture, $"02:50:42:00:00:{n:x2}"),
                create.Host,
                null,
                create.Labels ?? new Dictionary<string, string>(),
                DateTimeOffset.UtcNow);
            return _endpoints.TryAdd(create.Name, view)
                ? Results.Json(view, json.EndpointView, statusCode: 201)
                : Results.Problem(detail: $"endpoint '{create.Name}' exists", statusCode: 409, title: "Conflict");
        });
        app.MapGet("/v1/endpoints", (string? host) =>
            Results.Json(new ListResponse<EndpointView>([.. _endpoints.Values.Where(e => host is null || e.Host == host)]), json.ListResponseEndpointView));
        app.MapGet("/v1/endpoints/{name}", (string name) =>
            Find(name) is EndpointView view ? Results.Json(view, json.EndpointView) : Results.Problem(detail: $"no endpoint '{name}'", statusCode: 404, title: "Not found"));
        app.MapPut("/v1/endpoints/{name}/port", async (string name, HttpRequest request) =>
        {
            EndpointPort port = (await request.ReadFromJsonAsync(json.EndpointPort))!;
            if (Find(name) is not EndpointView view)
            {
                return Results.Problem(detail: $"no endpoint '{name}'", statusCode: 404, title: "Not found");
            }

            PortReports.Enqueue((name, port.OvsPort));
            EndpointView updated = view with { OvsPort = port.OvsPort };
            _endpoints[name] = updated;
            return Results.Json(updated, json.EndpointView);
        });
        app.MapDelete("/v1/endpoints/{name}", (string name) =>
        {
            Deletes.Enqueue(name);
            return _endpoints.TryRemove(name, out _) ? Results.NoContent() : Results.Problem(detail: $"no endpoint '{name}'", statusCode: 404, title: "Not found");
        });
    }
}
