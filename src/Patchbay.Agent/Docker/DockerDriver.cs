// The libnetwork remote network driver and remote IPAM driver of one host, over the controller's model. It keeps no
// state of its own that matters: which Docker network is which Patchbay network is a label on the Patchbay network
// ("docker/NETWORKID" = host), which Docker endpoint is which Patchbay endpoint a label on the endpoint
// ("docker.endpoint" = ENDPOINTID), and an address Patchbay IPAM handed out before Docker created the endpoint is an
// endpoint labelled "docker.ipam" = "reserved". An agent restart therefore loses nothing. One request runs at a time.
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Patchbay.Agent.HostOs;
using Patchbay.Core.Api;
using Patchbay.Ovsdb;

namespace Patchbay.Agent.Docker;

public sealed partial class DockerDriver : IDisposable
{
    /// <summary>Network label prefix: "docker/NETWORKID" names a Docker network mapped to this network, its value the host.</summary>
    public const string NetworkLinkPrefix = "docker/";

    /// <summary>Network label: the driver created the network (and may delete it once no Docker network maps to it).</summary>
    public const string CreatedLabel = "docker.created";

    /// <summary>Endpoint label: the Docker endpoint id.</summary>
    public const string EndpointLabel = "docker.endpoint";

    /// <summary>Endpoint label: "reserved" while the endpoint only holds an address Patchbay IPAM gave Docker.</summary>
    public const string IpamLabel = "docker.ipam";

    public const string Reserved = "reserved";

    /// <summary>Generic options (-o) and IPAM options (--ipam-opt) the driver reads.</summary>
    public const string TenantOption = "patchbay.tenant";

    public const string NetworkOption = "patchbay.network";

    private readonly string _host;
    private readonly IDockerModel _model;
    private readonly IDockerLinks _links;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _networks = new(StringComparer.Ordinal);

    /// <param name="host">This agent's host name at the controller: every endpoint the driver creates is on it.</param>
    public DockerDriver(string host, IDockerModel model, IDockerLinks links, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        _host = host;
        _model = model;
        _links = links;
        _logger = logger;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Runs one request under the gate, turning controller and host failures into refusals with their reason.</summary>
    private async Task<T> SerializedAsync<T>(string method, Func<Task<T>> handler, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            T result = await handler();
            DockerLog.Done(_logger, method);
            return result;
        }
        catch (PatchbayApiException e)
        {
            throw Refuse(method, $"the Patchbay controller refused: {e.Detail ?? e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw Refuse(method, $"the Patchbay controller did not answer: {e.Message}", e);
        }
        catch (Exception e) when (e is HostCommandException or InvalidOperationException or TimeoutException or OvsdbException)
        {
            throw Refuse(method, $"host plumbing failed on '{_host}': {e.Message}", e);
        }
        catch (DockerDriverException e)
        {
            DockerLog.Refused(_logger, method, e.Message);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private DockerDriverException Refuse(string method, string message, Exception inner)
    {
        DockerLog.Refused(_logger, method, message);
        return new DockerDriverException(message, inner);
    }

    /// <summary>A Docker object id: required, and letters and digits only (Docker's are 64 hex digits).</summary>
    private static string RequireId(string? id, string field)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new DockerDriverException($"'{field}' is required");
        }

        if (id.Length > 128 || !IdPattern().IsMatch(id))
        {
            throw new DockerDriverException($"'{field}' must be Docker's id (letters and digits), got '{id}'");
        }

        return id;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    /// <summary>The Patchbay network a Docker network id maps to on this host.</summary>
    private async Task<NetworkView> MappedNetworkAsync(string? networkId, CancellationToken cancellationToken) =>
        await FindMappedNetworkAsync(RequireId(networkId, "NetworkID"), cancellationToken)
            ?? throw new DockerDriverException($"network {Short(networkId!)} is not a Patchbay network on host '{_host}': create it with the patchbay driver first");

    private async Task<NetworkView?> FindMappedNetworkAsync(string networkId, CancellationToken cancellationToken)
    {
        if (_networks.TryGetValue(networkId, out string? name) && await _model.FindNetworkAsync(name, cancellationToken) is NetworkView cached)
        {
            return cached;
        }

        IReadOnlyList<NetworkView> labelled = await _model.ListNetworksAsync(null, NetworkLinkPrefix + networkId, cancellationToken);
        if (labelled.Count == 0)
        {
            _networks.Remove(networkId);
            return null;
        }

        _networks[networkId] = labelled[0].Name;
        return labelled[0];
    }

    /// <summary>The Patchbay endpoint that is this Docker endpoint on this host, or null.</summary>
    private async Task<EndpointView?> FindBoundEndpointAsync(string endpointId, CancellationToken cancellationToken) =>
        await _model.ListEndpointsAsync(null, _host, $"{EndpointLabel}={endpointId}", cancellationToken) is [EndpointView first, ..] ? first : null;

    private static async Task IgnoreNotFoundAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (PatchbayApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            // Already gone: the outcome the caller wants.
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex IdPattern();
}
