// Networks and endpoints: a network belongs to an existing tenant and does not overlap the tenant's other
// networks; an endpoint gets an address of its network (requested, or the lowest free one), claimed under
// /v1/ipam so that two writers can never hold the same address, and released when the endpoint goes.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.State;

public sealed partial class StoreControllerState
{
    public Task<Network> CreateNetworkAsync(NetworkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelRules.RequireName(request.Name, "network");
        string tenantName = request.Tenant ?? Tenant.DefaultName;
        ModelRules.RequireName(tenantName, "tenant");
        Ipv4Address gateway = request.Gateway ?? request.Subnet.FirstHost;
        ModelRules.RequireUsableSubnet(request.Subnet, gateway);
        ModelRules.RequireLabels(request.Labels, $"network '{request.Name}'");
        IReadOnlyDictionary<string, string> labels = ModelRules.Freeze(request.Labels);
        return CommitAsync((index, change) =>
        {
            if (index.Networks.ContainsKey(request.Name))
            {
                throw ControllerStateException.Conflict("Network exists", $"network '{request.Name}' already exists; pick another name");
            }

            if (!index.Tenants.TryGetValue(tenantName, out Versioned<Tenant> tenant))
            {
                throw new ControllerStateException(
                    StateError.NotFound,
                    "tenant not found",
                    $"tenant '{tenantName}' does not exist; create it first with `patchbay tenant create {tenantName}`");
            }

            Network? overlapping = index.Networks.Values
                .Select(n => n.Value)
                .Where(n => n.Tenant == tenantName && n.Subnet.Overlaps(request.Subnet))
                .OrderBy(n => n.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (overlapping is not null)
            {
                throw ControllerStateException.Conflict(
                    "Subnet overlaps",
                    $"subnet {request.Subnet} overlaps network '{overlapping.Name}' ({overlapping.Subnet}) of tenant '{tenantName}'; one tenant's networks may not overlap: pick another subnet or another tenant");
            }

            IdsDocument ids = index.Ids!.Value.Value;
            var network = new Network(ids.Network + 1, request.Name, tenantName, request.Subnet, gateway) { Labels = labels };
            change.Expect(ModelKeys.Network(network.Name), null);
            change.Expect(ModelKeys.Tenant(tenantName), tenant.ModRevision);
            change.WriteIds(index, ids with { Network = network.Id });
            PutNetwork(change, network);
            return network;
        }, cancellationToken);
    }

    public Network? FindNetwork(string name)
    {
        lock (_lock)
        {
            return _index.Networks.TryGetValue(name, out Versioned<Network> network) ? network.Value : null;
        }
    }

    public Network? FindNetwork(uint id)
    {
        lock (_lock)
        {
            return _index.NetworksById.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<Network> Networks()
    {
        lock (_lock)
        {
            return [.. _index.Networks.Values.Select(n => n.Value).OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
    }

    public Task<Network> UpdateNetworkLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ModelRules.RequireLabels(labels, $"network '{name}'");
        IReadOnlyDictionary<string, string> frozen = ModelRules.Freeze(labels);
        return CommitAsync((index, change) =>
        {
            Versioned<Network> network = RequireNetwork(index, name);
            Network updated = network.Value with { Labels = frozen };
            change.Expect(ModelKeys.Network(name), network.ModRevision);
            PutNetwork(change, updated);
            return updated;
        }, cancellationToken);
    }

    public Task<Network> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            Versioned<Network> network = RequireNetwork(index, name);
            string[] endpoints = [.. index.Endpoints.Values.Where(e => e.Value.Network == name).Select(e => e.Value.Name).Order(StringComparer.Ordinal)];
            if (endpoints.Length > 0)
            {
                throw ControllerStateException.Conflict(
                    "Network in use",
                    $"network '{name}' still has {endpoints.Length} endpoint(s) ({Abbreviate(endpoints)}); delete them first");
            }

            change.Expect(ModelKeys.Network(name), network.ModRevision);
            change.ExpectNoCreations(index);
            change.Delete(ModelKeys.Network(name));
            change.Then((i, _) => i.RemoveNetwork(name));
            return network.Value;
        }, cancellationToken);

    public Task<Endpoint> CreateEndpointAsync(EndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModelRules.RequireName(request.Name, "endpoint");
        ModelRules.RequireName(request.Host, "host");
        ModelRules.RequireLabels(request.Labels, $"endpoint '{request.Name}'");
        if (request.Mac is MacAddress requestedMac && (requestedMac.IsMulticast || requestedMac == MacAddress.Zero))
        {
            throw ControllerStateException.Invalid("Invalid MAC", $"mac {requestedMac} is not a unicast MAC address; pass a unicast MAC or leave mac out");
        }

        IReadOnlyDictionary<string, string> labels = ModelRules.Freeze(request.Labels);
        return CommitAsync((index, change) =>
        {
            if (index.Endpoints.ContainsKey(request.Name))
            {
                throw ControllerStateException.Conflict("Endpoint exists", $"endpoint '{request.Name}' already exists; pick another name");
            }

            if (!index.Networks.TryGetValue(request.Network, out Versioned<Network> versionedNetwork))
            {
                throw ControllerStateException.Invalid("Unknown network", $"network '{request.Network}' does not exist; name an existing network (patchbay network ls)");
            }

            Network network = versionedNetwork.Value;
            if (request.Tenant is not null && request.Tenant != network.Tenant)
            {
                throw ControllerStateException.Invalid(
                    "Wrong tenant",
                    $"tenant '{request.Tenant}' does not match: network '{network.Name}' belongs to tenant '{network.Tenant}'; leave tenant out or name '{network.Tenant}'");
            }

            Ipv4Address ip = request.Ip is Ipv4Address requested ? Requested(index, network, requested) : Allocated(index, network);
            IdsDocument ids = index.Ids!.Value.Value;
            uint id = ids.Endpoint + 1;
            MacAddress mac;
            if (request.Mac is MacAddress given)
            {
                mac = given;
                if (index.EndpointsByMac.TryGetValue(mac, out Endpoint? holder))
                {
                    throw ControllerStateException.Conflict("MAC taken", $"mac {mac} belongs to endpoint '{holder.Name}'; pass another MAC or leave mac out");
                }
            }
            else
            {
                // An allocated MAC that someone requested earlier is skipped, with its id.
                while (index.EndpointsByMac.ContainsKey(AllocatedMac(id)))
                {
                    id++;
                }

                mac = AllocatedMac(id);
            }

            var endpoint = new Endpoint(id, request.Name, network.Tenant, network.Name, ip, mac, request.Host, null, labels, _time.GetUtcNow());
            string claim = ModelKeys.Claim(network.Name, ip);
            change.Expect(ModelKeys.Endpoint(endpoint.Name), null);
            change.Expect(ModelKeys.Network(network.Name), versionedNetwork.ModRevision);
            change.Expect(claim, null);
            change.WriteIds(index, ids with { Endpoint = id });
            change.Put(claim, ModelJsonContext.Encode(new ClaimDocument(endpoint.Name), ModelJsonContext.Default.ClaimDocument));
            PutEndpoint(change, endpoint, claimed: true);
            return endpoint;
        }, cancellationToken);
    }

    public Endpoint? FindEndpoint(string name)
    {
        lock (_lock)
        {
            return _index.Endpoints.TryGetValue(name, out Versioned<Endpoint> endpoint) ? endpoint.Value : null;
        }
    }

    public Endpoint? FindEndpointByPort(string host, uint ofPort)
    {
        lock (_lock)
        {
            return _index.EndpointsByPort.GetValueOrDefault((host, ofPort));
        }
    }

    public Endpoint? FindEndpointByIp(string network, Ipv4Address ip)
    {
        lock (_lock)
        {
            return _index.EndpointsByIp.GetValueOrDefault((network, ip));
        }
    }

    public IReadOnlyList<Endpoint> Endpoints(string? host = null, string? network = null)
    {
        lock (_lock)
        {
            return [.. _index.Endpoints.Values
                .Select(e => e.Value)
                .Where(e => (host is null || e.Host == host) && (network is null || e.Network == network))
                .OrderBy(e => e.Id)];
        }
    }

    public Task<(Endpoint Before, Endpoint After)> SetEndpointPortAsync(string name, uint ofPort, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            Versioned<Endpoint> endpoint = RequireEndpoint(index, name);
            if (index.EndpointsByPort.TryGetValue((endpoint.Value.Host, ofPort), out Endpoint? other) && other.Name != name)
            {
                throw ControllerStateException.Conflict(
                    "Port taken",
                    $"port {ofPort} of host '{endpoint.Value.Host}' belongs to endpoint '{other.Name}'; unplug '{other.Name}' first");
            }

            if (endpoint.Value.OfPort == ofPort)
            {
                return (endpoint.Value, endpoint.Value);
            }

            Endpoint updated = endpoint.Value with { OfPort = ofPort };
            change.Expect(ModelKeys.Endpoint(name), endpoint.ModRevision);
            PutEndpoint(change, updated, claimed: false);
            return (endpoint.Value, updated);
        }, cancellationToken);

    public Task<Endpoint> UpdateEndpointLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ModelRules.RequireLabels(labels, $"endpoint '{name}'");
        IReadOnlyDictionary<string, string> frozen = ModelRules.Freeze(labels);
        return CommitAsync((index, change) =>
        {
            Versioned<Endpoint> endpoint = RequireEndpoint(index, name);
            Endpoint updated = endpoint.Value with { Labels = frozen };
            change.Expect(ModelKeys.Endpoint(name), endpoint.ModRevision);
            PutEndpoint(change, updated, claimed: false);
            return updated;
        }, cancellationToken);
    }

    public Task<Endpoint> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) =>
        CommitAsync((index, change) =>
        {
            Versioned<Endpoint> endpoint = RequireEndpoint(index, name);
            string claim = ModelKeys.Claim(endpoint.Value.Network, endpoint.Value.Ip);
            change.Expect(ModelKeys.Endpoint(name), endpoint.ModRevision);
            change.Expect(claim, index.Claims.GetValueOrDefault((endpoint.Value.Network, endpoint.Value.Ip)));
            change.Delete(ModelKeys.Endpoint(name));
            change.Delete(claim);
            change.Then((i, _) => i.RemoveEndpoint(name));
            return endpoint.Value;
        }, cancellationToken);

    private static Versioned<Network> RequireNetwork(ModelIndex index, string name) =>
        index.Networks.TryGetValue(name, out Versioned<Network> network) ? network : throw ControllerStateException.NotFound("network", name);

    private static Versioned<Endpoint> RequireEndpoint(ModelIndex index, string name) =>
        index.Endpoints.TryGetValue(name, out Versioned<Endpoint> endpoint) ? endpoint : throw ControllerStateException.NotFound("endpoint", name);

    private static Ipv4Address Requested(ModelIndex index, Network network, Ipv4Address ip)
    {
        ModelRules.RequireAssignable(network, ip);
        if (index.EndpointsByIp.TryGetValue((network.Name, ip), out Endpoint? holder))
        {
            throw ControllerStateException.Conflict(
                "Address taken",
                $"ip {ip} is already used in network '{network.Name}' by endpoint '{holder.Name}'; pick another address or leave ip out");
        }

        return ip;
    }

    private static Ipv4Address Allocated(ModelIndex index, Network network)
    {
        if (index.FindFreeAddress(network) is Ipv4Address free)
        {
            return free;
        }

        int inUse = index.Endpoints.Values.Count(e => e.Value.Network == network.Name);
        throw ControllerStateException.Conflict(
            "Subnet exhausted",
            $"network {network.Name} ({network.Subnet}) has no free address: {inUse} of {ModelRules.Assignable(network)} in use");
    }

    private static void PutNetwork(Change change, Network network)
    {
        change.Put(ModelKeys.Network(network.Name), ModelJsonContext.Encode(NetworkDocument.From(network), ModelJsonContext.Default.NetworkDocument));
        change.Then((i, revision) => i.Put(network, revision));
    }

    /// <param name="claimed">Whether this change also wrote the endpoint's address claim.</param>
    private static void PutEndpoint(Change change, Endpoint endpoint, bool claimed)
    {
        change.Put(ModelKeys.Endpoint(endpoint.Name), ModelJsonContext.Encode(EndpointDocument.From(endpoint), ModelJsonContext.Default.EndpointDocument));
        change.Then((i, revision) => i.Put(endpoint, revision, claimed ? revision : null));
    }
}
