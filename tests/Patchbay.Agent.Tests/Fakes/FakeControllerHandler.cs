// An in-process stand-in for the controller's REST API as an HttpMessageHandler: records every request (method,
// path, body), answers host registrations and port reports, and can be "down" (connection refused) on demand.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Tests.Fakes;

internal sealed record RecordedRequest(string Method, string Path, string Body);

internal sealed class FakeControllerHandler : HttpMessageHandler
{
    private const string PortSuffix = "/port";
    private const string EndpointsPrefix = "/v1/endpoints/";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _refused;

    /// <summary>While true, every request fails as if nothing listened on the socket.</summary>
    public volatile bool Down;

    /// <summary>How many requests were refused because the controller was down.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>While set, each request is recorded at once but answered only when this completes.</summary>
    public volatile TaskCompletionSource? HoldAnswers;

    /// <summary>Endpoints the controller knows; a port report for any other answers 404.</summary>
    public ConcurrentDictionary<string, bool> KnownEndpoints { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public PatchbayApiClient CreateClient() => new(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri("http://controller/") });

    /// <summary>Waits until a request matching <paramref name="match"/> has been answered (counting earlier ones).</summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_requests.FirstOrDefault(match) is RecordedRequest found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching request; got: {string.Join(", ", _requests.Select(r => r.Method + " " + r.Path + " " + r.Body))}");
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            throw new HttpRequestException("Connection refused (fake controller is down)");
        }

        string path = request.RequestUri!.AbsolutePath;
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        HttpResponseMessage response = Answer(request.Method, path, body);
        _requests.Enqueue(new RecordedRequest(request.Method.Method, path, body));
        _arrived.Release();
        if (HoldAnswers is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _arrived.Dispose();
        }

        base.Dispose(disposing);
    }

    private HttpResponseMessage Answer(HttpMethod method, string path, string body)
    {
        PatchbayJsonContext json = PatchbayJsonContext.Default;
        if (method == HttpMethod.Post && path == "/v1/hosts")
        {
            HostRegistration host = System.Text.Json.JsonSerializer.Deserialize(body, json.HostRegistration)!;
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new HostView(host.Name, host.DatapathId, host.UplinkMac, host.UplinkPort, host.UnderlayIp, host.Segment, "up", DateTimeOffset.UnixEpoch), json.HostView),
            };
        }

        if (method == HttpMethod.Put && path.StartsWith(EndpointsPrefix, StringComparison.Ordinal) && path.EndsWith(PortSuffix, StringComparison.Ordinal))
        {
            string name = Uri.UnescapeDataString(path[EndpointsPrefix.Length..^PortSuffix.Length]);
            if (!KnownEndpoints.ContainsKey(name))
            {
                return Problem(HttpStatusCode.NotFound, "Not found", $"no endpoint '{name}'");
            }

            EndpointPort port = System.Text.Json.JsonSerializer.Deserialize(body, json.EndpointPort)!;
            var view = new EndpointView(name, "t1", "net1", "10.1.0.2", 24, "10.1.0.1", "02:50:42:00:00:02", "h1", port.OvsPort, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(view, json.EndpointView) };
        }

        return Problem(HttpStatusCode.NotFound, "Not found", $"the fake controller has no {method} {path}");
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string title, string detail) =>
        new(status)
        {
            Content = new StringContent($"{{\"title\":\"{title}\",\"detail\":\"{detail}\",\"status\":{(int)status}}}", System.Text.Encoding.UTF8, "application/problem+json"),
        };
}
