// A stand-in for the agent's local API on a unix socket (/healthz, /v1/plug, /v1/unplug, /v1/endpoints): it
// allocates addresses in 10.10.0.0/16, records every request, and can be told to refuse plugs.
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Patchbay.Core.Api;

namespace Patchbay.Cni.Tests;

internal sealed class FakeAgent : IAsyncDisposable
{
    public const string Gateway = "10.10.0.1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PlugResult> _plugged = new(StringComparer.Ordinal);
    private int _last = 1;

    private FakeAgent(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public ConcurrentQueue<PlugRequest> Plugs { get; } = new();

    public ConcurrentQueue<string> Unplugs { get; } = new();

    /// <summary>When set, /v1/plug answers this problem instead of plugging.</summary>
    public (int Status, string Title, string Detail)? RefusePlug { get; set; }

    public IReadOnlyDictionary<string, PlugResult> Plugged => _plugged;

    public static async Task<FakeAgent> StartAsync()
    {
        string socketPath = Path.Combine(Path.GetTempPath(), "pbcni-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        WebApplication app = builder.Build();
        var fake = new FakeAgent(app, socketPath);
        fake.Map(app);
        await app.StartAsync();
        return fake;
    }

    /// <summary>An endpoint the agent lists as plugged without a plug call (another network's, a lab container's, a leftover).</summary>
    public PlugResult Seed(string name, string network = "blue", string tenant = "acme")
    {
        int n = Interlocked.Increment(ref _last);
        var result = new PlugResult(View(name, network, tenant, n, null), "pb" + n.ToString("x10", CultureInfo.InvariantCulture), (uint)n);
        _plugged[name] = result;
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }

    private static EndpointView View(string name, string network, string? tenant, int n, IReadOnlyDictionary<string, string>? labels) =>
        new(
            name,
            tenant ?? "default",
            network,
            string.Create(CultureInfo.InvariantCulture, $"10.10.{n / 256}.{n % 256}"),
            16,
            Gateway,
            string.Create(CultureInfo.InvariantCulture, $"0e:50:42:00:{n / 256:x2}:{n % 256:x2}"),
            "h1",
            (uint)n,
            labels ?? new Dictionary<string, string>(),
            DateTimeOffset.UnixEpoch);

    private void Map(WebApplication app)
    {
        PatchbayJsonContext json = PatchbayJsonContext.Default;
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapPost("/v1/plug", async (HttpRequest request) =>
        {
            PlugRequest plug = (await request.ReadFromJsonAsync(json.PlugRequest))!;
            Plugs.Enqueue(plug);
            if (RefusePlug is var (status, title, detail))
            {
                return Results.Problem(detail: detail, statusCode: status, title: title);
            }

            PlugResult result = _plugged.GetOrAdd(plug.Endpoint, name =>
            {
                int n = Interlocked.Increment(ref _last);
                return new PlugResult(View(name, plug.Network, plug.Tenant, n, plug.Labels), "pb" + n.ToString("x10", CultureInfo.InvariantCulture), (uint)n, string.Create(CultureInfo.InvariantCulture, $"aa:bb:cc:00:00:{n:x2}"));
            });
            return Results.Json(result, json.PlugResult);
        });
        app.MapPost("/v1/unplug", async (HttpRequest request) =>
        {
            UnplugRequest unplug = (await request.ReadFromJsonAsync(json.UnplugRequest))!;
            Unplugs.Enqueue(unplug.Endpoint);
            _plugged.TryRemove(unplug.Endpoint, out _);
            return Results.NoContent();
        });
        app.MapGet("/v1/endpoints", () =>
            Results.Json(new ListResponse<PlugResult>([.. _plugged.Values.Select(p => p with { HostMac = null })]), json.ListResponsePlugResult));
    }
}
