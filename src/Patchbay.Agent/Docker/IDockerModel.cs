// The controller calls the Docker driver makes, narrowed to what it needs so tests can hold the model in memory.
// Failures are PatchbayApiException (the controller refused, with its status) or HttpRequestException (unreachable).
using Patchbay.Core.Api;

namespace Patchbay.Agent.Docker;

public interface IDockerModel
{
    /// <summary>The network, or null when the controller has none of that name.</summary>
    Task<NetworkView?> FindNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Networks, optionally of one tenant and carrying a label (key=value, or key for "exists").</summary>
    Task<IReadOnlyList<NetworkView>> ListNetworksAsync(string? tenant, string? label, CancellationToken cancellationToken);

    Task<NetworkView> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken);

    /// <summary>Sets the labels given and removes those given as null.</summary>
    Task<NetworkView> PatchNetworkLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);

    Task DeleteNetworkAsync(string name, CancellationToken cancellationToken);

    /// <summary>Endpoints, optionally of one network, on one host, and carrying a label.</summary>
    Task<IReadOnlyList<EndpointView>> ListEndpointsAsync(string? network, string? host, string? label, CancellationToken cancellationToken);

    Task<EndpointView> CreateEndpointAsync(EndpointCreate endpoint, CancellationToken cancellationToken);

    Task<EndpointView> PatchEndpointLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken);

    Task DeleteEndpointAsync(string name, CancellationToken cancellationToken);

    Task<EndpointView> SetEndpointPortAsync(string name, uint ovsPort, CancellationToken cancellationToken);
}

/// <summary>The model as the controller's REST API holds it.</summary>
public sealed class ControllerDockerModel(PatchbayApiClient api) : IDockerModel
{
    public async Task<NetworkView?> FindNetworkAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetNetworkAsync(name, cancellationToken);
        }
        catch (PatchbayApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<NetworkView>> ListNetworksAsync(string? tenant, string? label, CancellationToken cancellationToken) =>
        api.ListAllNetworksAsync(new ListQuery { Tenant = tenant, Labels = label is null ? [] : [label] }, cancellationToken);

    public Task<NetworkView> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken) =>
        api.CreateNetworkAsync(network, cancellationToken);

    public Task<NetworkView> PatchNetworkLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        api.UpdateNetworkAsync(name, new ResourcePatch(labels), cancellationToken);

    public Task DeleteNetworkAsync(string name, CancellationToken cancellationToken) => api.DeleteNetworkAsync(name, cancellationToken);

    public Task<IReadOnlyList<EndpointView>> ListEndpointsAsync(string? network, string? host, string? label, CancellationToken cancellationToken) =>
        api.ListAllEndpointsAsync(new ListQuery { Network = network, Host = host, Labels = label is null ? [] : [label] }, cancellationToken);

    public Task<EndpointView> CreateEndpointAsync(EndpointCreate endpoint, CancellationToken cancellationToken) =>
        api.CreateEndpointAsync(endpoint, cancellationToken);

    public Task<EndpointView> PatchEndpointLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken) =>
        api.UpdateEndpointAsync(name, new ResourcePatch(labels), cancellationToken);

    public Task DeleteEndpointAsync(string name, CancellationToken cancellationToken) => api.DeleteEndpointAsync(name, cancellationToken);

    public Task<EndpointView> SetEndpointPortAsync(string name, uint ovsPort, CancellationToken cancellationToken) =>
        api.SetEndpointPortAsync(name, ovsPort, cancellationToken);
}
