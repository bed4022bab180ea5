// The controller's model in memory, with the rules the Docker driver meets: unique names (409), lowest free address
// skipping the gateway, an address or MAC in use (409), a network with endpoints not deletable (409), unknown names
// (404), label filters "key=value" and "key", label merge patches. Every call is recorded as "Verb name".
using System.Globalization;
using System.Net;
using Patchbay.Agent.Docker;
using Patchbay.Core.Api;

namespace Patchbay.Agent.Tests.Docker;

internal sealed class FakeDockerModel : IDockerModel
{
    private readonly Dictionary<string, NetworkView> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointView> _endpoints = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private int _macs;

    public IReadOnlyList<string> Calls => _calls;

    public IReadOnlyCollection<NetworkView> Networks => _networks.Values;

    public IReadOnlyCollection<EndpointView> Endpoints => _endpoints.Values;

    public EndpointView Endpoint(string name) => _endpoints[name];

    public NetworkView AddNetwork(string name, string tenant, string subnet, string gateway, IReadOnlyDictionary<string, string>? labels = null) =>
        _networks[name] = new NetworkView(name, tenant, subnet, gateway, "0a:50:42:00:00:01", labels ?? new Dictionary<string, string>());

    public EndpointView AddEndpoint(string name, string network, string host, string ip) =>
        _endpoints[name] = View(name, _networks[network], host, ip, NextMac(), new Dictionary<string, string>());

    public Task<NetworkView?> FindNetworkAsync(string name, CancellationToken cancellationToken)
    {
        _calls.Add("GetNetwork " + name);
        return Task.FromResult(_networks.GetValueOrDefault(name));
    }

    public Task<IReadOnlyList<NetworkView>> ListNetworksAsync(string? tenant, string? label, CancellationToken cancellationToken)
    {
        _calls.Add("ListNetworks " + label);
        return Task.FromResult<IReadOnlyList<NetworkView>>([.. _networks.Values.Where(n => (tenant is null || n.Tenant == tenant) && Has(n.Labels!, label))]);
    }

    public Task<NetworkView> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken)
    {
        _calls.Add("CreateNetwork " + network.Name);
        if (_networks.ContainsKey(network.Name))
        {
            throw Refused(HttpStatusCode.Conflict, $"network '{network.Name}' already exists");
        }

        var subnet = IPNetwork.Parse(network.Subnet);
        string gateway = network.Gateway ?? Offset(subnet, 1);
        return Task.FromResult(AddNetwork(network.Name, network.Tenant ?? "default", network.Subnet, gateway, network.Labels));
    }

    public Task<NetworkView> PatchNetworkLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        _calls.Add("PatchNetwork " + name);
        NetworkView network = _networks.GetValueOrDefault(name) ?? throw Refused(HttpStatusCode.NotFound, $"network '{name}' does not exist");
        return Task.FromResult(_networks[name] = network with { Labels = Merge(network.Labels!, labels) });
    }

    public Task DeleteNetworkAsync(string name, CancellationToken cancellationToken)
    {
        _calls.Add("DeleteNetwork " + name);
        if (!_networks.ContainsKey(name))
        {
            throw Refused(HttpStatusCode.NotFound, $"network '{name}' does not exist");
        }

        if (_endpoints.Values.Any(e => e.Network == name))
        {
            throw Refused(HttpStatusCode.Conflict, $"network '{name}' still has endpoints");
        }

        _networks.Remove(name);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EndpointView>> ListEndpointsAsync(string? network, string? host, string? label, CancellationToken cancellationToken)
    {
        _calls.Add("ListEndpoints " + label);
        return Task.FromResult<IReadOnlyList<EndpointView>>([.. _endpoints.Values.Where(e => (network is null || e.Network == network) && (host is null || e.Host == host) && Has(e.Labels, label))]);
    }

    public Task<EndpointView> CreateEndpointAsync(EndpointCreate endpoint, CancellationToken cancellationToken)
    {
        _calls.Add("CreateEndpoint " + endpoint.Name);
        NetworkView network = _networks.GetValueOrDefault(endpoint.Network) ?? throw Refused(HttpStatusCode.BadRequest, $"network '{endpoint.Network}' does not exist");
        if (_endpoints.ContainsKey(endpoint.Name))
        {
            throw Refused(HttpStatusCode.Conflict, $"endpoint '{endpoint.Name}' already exists");
        }

        var subnet = IPNetwork.Parse(network.Subnet);
        HashSet<string> used = [.. _endpoints.Values.Where(e => e.Network == network.Name).Select(e => e.Ip), network.Gateway];
        string ip;
        if (endpoint.Ip is not null)
        {
            if (used.Contains(endpoint.Ip))
            {
                throw Refused(HttpStatusCode.Conflict, $"ip {endpoint.Ip} is already used in network '{network.Name}'");
            }

            ip = endpoint.Ip;
        }
        else
        {
            ip = Enumerable.Range(1, (1 << (32 - subnet.PrefixLength)) - 2).Select(i => Offset(subnet, i)).FirstOrDefault(a => !used.Contains(a))
                ?? throw Refused(HttpStatusCode.Conflict, $"network {network.Name} has no free address");
        }

        string mac = endpoint.Mac ?? NextMac();
        if (_endpoints.Values.Any(e => e.Mac == mac))
        {
            throw Refused(HttpStatusCode.Conflict, $"mac {mac} is in use");
        }

        return Task.FromResult(_endpoints[endpoint.Name] = View(endpoint.Name, network, endpoint.Host, ip, mac, endpoint.Labels ?? new Dictionary<string, string>()));
    }

    public Task<EndpointView> PatchEndpointLabelsAsync(string name, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        _calls.Add("PatchEndpoint " + name);
        EndpointView endpoint = _endpoints.GetValueOrDefault(name) ?? throw Refused(HttpStatusCode.NotFound, $"endpoint '{name}' does not exist");
        return Task.FromResult(_endpoints[name] = endpoint with { Labels = Merge(endpoint.Labels, labels) });
    }

    public Task DeleteEndpointAsync(string name, CancellationToken cancellationToken)
    {
        _calls.Add("DeleteEndpoint " + name);
        return _endpoints.Remove(name) ? Task.CompletedTask : throw Refused(HttpStatusCode.NotFound, $"endpoint '{name}' does not exist");
    }

    public Task<EndpointView> SetEndpointPortAsync(string name, uint ovsPort, CancellationToken cancellationToken)
    {
        _calls.Add("SetPort " + name);
        EndpointView endpoint = _endpoints.GetValueOrDefault(name) ?? throw Refused(HttpStatusCode.NotFound, $"endpoint '{name}' does not exist");
        return Task.FromResult(_endpoints[name] = endpoint with { OvsPort = ovsPort });
    }

    private static EndpointView View(string name, NetworkView network, string host, string ip, string mac, IReadOnlyDictionary<string, string> labels) =>
        new(name, network.Tenant, network.Name, ip, IPNetwork.Parse(network.Subnet).PrefixLength, network.Gateway, mac, host, null, labels, DateTimeOffset.UnixEpoch);

    private string NextMac() => "0e:50:42:00:00:" + (++_macs).ToString("x2", CultureInfo.InvariantCulture);

    private static bool Has(IReadOnlyDictionary<string, string> labels, string? filter)
    {
        if (filter is null)
        {
            return true;
        }

        int equals = filter.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..equals], out string? value) && value == filter[(equals + 1)..];
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string?> patch)
    {
        var merged = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach ((string key, string? value) in patch)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    private static string Offset(IPNetwork subnet, int offset)
    {
        byte[] bytes = subnet.BaseAddress.GetAddressBytes();
        uint value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + (uint)offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }

    private static PatchbayApiException Refused(HttpStatusCode status, string detail) => new(status, status.ToString(), detail, "fake");
}
