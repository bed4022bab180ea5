// Plug and unplug, the agent's local API verbs. A plug finds or creates the endpoint at the controller (which
// allocates its IP and MAC), wires a veth into the container's namespace, attaches the host end to the bridge and
// reports its OpenFlow port. Both verbs are idempotent, and one endpoint is handled by one call at a time.
using System.Net;
using Microsoft.Extensions.Logging;
using Patchbay.Agent.HostOs;
using Patchbay.Agent.Informer;
using Patchbay.Agent.Ovs;
using Patchbay.Core.Api;
using Patchbay.Ovsdb;

namespace Patchbay.Agent.Plugging;

/// <summary>A plug or unplug refused or failed, with the HTTP status and problem title the local API answers.</summary>
public sealed class PlugException : Exception
{
    public PlugException()
    {
    }

    public PlugException(string message)
        : base(message)
    {
    }

    public PlugException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlugException(HttpStatusCode status, string title, string detail, Exception? innerException = null)
        : base(detail, innerException)
    {
        Status = status;
        Title = title;
    }

    public HttpStatusCode Status { get; } = HttpStatusCode.InternalServerError;

    public string Title { get; } = "Plug failed";
}

public sealed class EndpointPlugger : IDisposable
{
    private readonly AgentOptions _options;
    private readonly HostBridge _bridge;
    private readonly PatchbayApiClient _api;
    private readonly EndpointPortCache _cache;
    private readonly PortReconciler _reconciler;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public EndpointPlugger(AgentOptions options, HostBridge bridge, PatchbayApiClient api, EndpointPortCache cache, PortReconciler reconciler, ILogger logger)
    {
        _options = options;
        _bridge = bridge;
        _api = api;
        _cache = cache;
        _reconciler = reconciler;
        _logger = logger;
    }

    public void Dispose() => _gate.Dispose();

    public async Task<PlugResult> PlugAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            EndpointView endpoint = await FindOrCreateEndpointAsync(request, cancellationToken);
            string hostInterface = HostNetwork.HostInterfaceName(endpoint.Name);
            await RunHostStepAsync(
                "Interface setup failed",
                () => HostNetwork.PlugVethAsync(endpoint.Name, request.Netns, new ContainerInterface(request.IfName, endpoint.Mac, endpoint.Ip, endpoint.PrefixLength, endpoint.Gateway), cancellationToken));
            uint port = 0;
            await RunHostStepAsync("Bridge port failed", async () => port = await _bridge.AttachEndpointAsync(endpoint.Name, hostInterface, cancellationToken));
            EndpointView reported = await CallControllerAsync(() => _api.SetEndpointPortAsync(endpoint.Name, port, cancellationToken));
            _reconciler.MarkReported(endpoint.Name, port);
            AgentLog.Plugged(_logger, endpoint.Name, endpoint.Ip, endpoint.Mac, hostInterface, port, request.Netns);
            return new PlugResult(reported, hostInterface, port, await ReadMacAsync(hostInterface, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.PlugFailed(_logger, e, request.Endpoint);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the bridge port and the veth, and deletes the endpoint at the controller if it is this host's.</summary>
    public async Task UnplugAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new PlugException(HttpStatusCode.BadRequest, "Missing field", "'endpoint' is required");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            string hostInterface = HostNetwork.HostInterfaceName(endpoint);
            bool portRemoved = false;
            bool vethRemoved = false;
            await RunHostStepAsync("Bridge port removal failed", async () => portRemoved = await _bridge.DetachAsync(hostInterface, cancellationToken));
            await RunHostStepAsync("Interface removal failed", async () => vethRemoved = await HostNetwork.DeleteVethAsync(endpoint, cancellationToken));
            EndpointView? known = await CallControllerAsync(() => _api.FindEndpointAsync(endpoint, cancellationToken));
            bool deleted = false;
            if (known is not null && string.Equals(known.Host, _options.Name, StringComparison.Ordinal))
            {
                try
                {
                    await CallControllerAsync(async () =>
                    {
                        await _api.DeleteEndpointAsync(endpoint, cancellationToken);
                        return true;
                    });
                    deleted = true;
                }
                catch (PlugException e) when (e.Status == HttpStatusCode.NotFound)
                {
                    // Deleted by someone else between our read and our delete: the outcome unplug wants.
                }
            }

            AgentLog.Unplugged(_logger, endpoint, portRemoved, vethRemoved, deleted);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The endpoints plugged on this host: interfaces on the bridge that name an endpoint and have a port, as the controller knows them.</summary>
    public async Task<IReadOnlyList<PlugResult>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EndpointView> views = await CallControllerAsync(() => _api.ListEndpointsAsync(host: _options.Name, cancellationToken: cancellationToken));
        Dictionary<string, EndpointView> byName = views.ToDictionary(v => v.Name, StringComparer.Ordinal);
        return
        [
            .. _cache.Snapshot()
                .Where(p => p.OfPort > 0 && byName.ContainsKey(p.Endpoint))
                .Select(p => new PlugResult(byName[p.Endpoint], p.Interface, (uint)p.OfPort!.Value)),
        ];
    }

    /// <summary>The interface's MAC as sysfs shows it in the agent's namespace; null when it cannot be read.</summary>
    private static async Task<string?> ReadMacAsync(string link, CancellationToken cancellationToken)
    {
        try
        {
            return (await File.ReadAllTextAsync(Path.Combine("/sys/class/net", link, "address"), cancellationToken)).Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Validate(PlugRequest request)
    {
        foreach ((string? value, string field) in (ReadOnlySpan<(string?, string)>)[(request.Endpoint, "endpoint"), (request.Network, "network"), (request.Netns, "netns"), (request.IfName, "ifName")])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new PlugException(HttpStatusCode.BadRequest, "Missing field", $"'{field}' is required");
            }
        }

        if (request.IfName.Length > HostNetwork.MaxInterfaceNameLength || request.IfName.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            throw new PlugException(HttpStatusCode.BadRequest, "Invalid interface name", $"'{request.IfName}' is not a Linux interface name (at most {HostNetwork.MaxInterfaceNameLength} characters, no '/', ':' or spaces)");
        }
    }

    private async Task<EndpointView> FindOrCreateEndpointAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        EndpointView? existing = await CallControllerAsync(() => _api.FindEndpointAsync(request.Endpoint, cancellationToken));
        existing ??= await CreateEndpointAsync(request, cancellationToken);
        if (!string.Equals(existing.Host, _options.Name, StringComparison.Ordinal))
        {
            throw new PlugException(HttpStatusCode.Conflict, "Endpoint exists elsewhere", $"endpoint '{request.Endpoint}' exists on host '{existing.Host}', not on '{_options.Name}'");
        }

        if (!string.Equals(existing.Network, request.Network, StringComparison.Ordinal))
        {
            throw new PlugException(HttpStatusCode.Conflict, "Endpoint exists in another network", $"endpoint '{request.Endpoint}' is in network '{existing.Network}', not '{request.Network}'");
        }

        return existing;
    }

    private async Task<EndpointView> CreateEndpointAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _api.CreateEndpointAsync(new EndpointCreate(request.Endpoint, request.Network, _options.Name, request.Tenant, request.Ip, Labels: request.Labels), cancellationToken);
        }
        catch (PatchbayApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            // Another plug of the same name won the race (or the IP is taken): the endpoint as it now stands decides.
            return await CallControllerAsync(() => _api.FindEndpointAsync(request.Endpoint, cancellationToken))
                ?? throw Refused(e);
        }
        catch (PatchbayApiException e)
        {
            throw Refused(e);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
    }

    private static async Task<T> CallControllerAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PatchbayApiException e)
        {
            throw Refused(e);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
    }

    private static async Task RunHostStepAsync(string title, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is HostCommandException or InvalidOperationException or TimeoutException or OvsdbException)
        {
            throw new PlugException(HttpStatusCode.InternalServerError, title, e.Message, e);
        }
    }

    private static PlugException Refused(PatchbayApiException e) =>
        new(e.Status == 0 ? HttpStatusCode.BadGateway : e.Status, e.Title ?? "Controller refused", e.Detail ?? e.Message, e);

    private static PlugException Unreachable(HttpRequestException e) =>
        new(HttpStatusCode.ServiceUnavailable, "Controller unreachable", $"the controller API did not answer: {e.Message}", e);
}
