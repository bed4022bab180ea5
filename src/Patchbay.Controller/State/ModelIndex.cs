// The model in memory, as last committed to the store: every object with the store's mod revision of its
// key (the compare of the next change to it), and the lookups the first-packet path needs (by datapath id,
// by host and port, by network and address, by MAC). Not thread-safe: StoreControllerState reads it under
// its lock and changes it only after a commit, one writer at a time.
using Patchbay.Core.Model;
using Patchbay.Packets;
using Patchbay.Store;

namespace Patchbay.Controller.State;

/// <summary>A value and the mod revision of its store key.</summary>
internal readonly record struct Versioned<T>(T Value, long ModRevision);

internal sealed class ModelIndex
{
    public Dictionary<string, Versioned<Tenant>> Tenants { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Versioned<Network>> Networks { get; } = new(StringComparer.Ordinal);

    public Dictionary<uint, Network> NetworksById { get; } = [];

    public Dictionary<string, Versioned<Endpoint>> Endpoints { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Network, Ipv4Address Ip), Endpoint> EndpointsByIp { get; } = [];

    public Dictionary<(string Host, uint Port), Endpoint> EndpointsByPort { get; } = [];

    public Dictionary<MacAddress, Endpoint> EndpointsByMac { get; } = [];

    /// <summary>Mod revisions of the address claims (/v1/ipam/NETWORK/IP), by network and address.</summary>
    public Dictionary<(string Network, Ipv4Address Ip), long> Claims { get; } = [];

    public Dictionary<string, Versioned<Host>> Hosts { get; } = new(StringComparer.Ordinal);

    public Dictionary<ulong, Host> HostsByDatapath { get; } = [];

    /// <summary>Per network, an address at or below the lowest free one: every assignable address below it is taken.</summary>
    public Dictionary<string, uint> LowestFree { get; } = new(StringComparer.Ordinal);

    /// <summary>The groups, rules and connections (/v1/policy/).</summary>
    public PolicyIndex Policies { get; } = new();

    /// <summary>The id counters as stored; null until the store's first start wrote them.</summary>
    public Versioned<IdsDocument>? Ids { get; private set; }

    /// <summary>Builds the index from every model key of the store, read at one revision.</summary>
    public static ModelIndex Load(StoreRange range)
    {
        var index = new ModelIndex();
        foreach (StoreEntry entry in range.Entries)
        {
            long revision = entry.ModRevision;
            if (entry.Key == ModelKeys.Ids)
            {
                index.Ids = new(ModelJsonContext.Decode(entry, ModelJsonContext.Default.IdsDocument), revision);
            }
            else if (entry.Key.StartsWith(ModelKeys.Tenants, StringComparison.Ordinal))
            {
                index.Put(ModelJsonContext.Decode(entry, ModelJsonContext.Default.TenantDocument).ToModel(), revision);
            }
            else if (entry.Key.StartsWith(ModelKeys.Networks, StringComparison.Ordinal))
            {
                index.Put(ModelJsonContext.Decode(entry, ModelJsonContext.Default.NetworkDocument).ToModel(), revision);
            }
            else if (entry.Key.StartsWith(ModelKeys.Hosts, StringComparison.Ordinal))
            {
                index.Put(ModelJsonContext.Decode(entry, ModelJsonContext.Default.HostDocument).ToModel(), revision);
            }
            else if (ModelKeys.TryParseClaim(entry.Key, out (string Network, Ipv4Address Ip) claim))
            {
                index.Claims[claim] = revision;
            }
            else
            {
                index.Policies.Load(entry);
            }
        }

        // Endpoints last (they sort before networks): each moves its network's lowest-free hint, which needs the network.
        foreach (StoreEntry entry in range.Entries.Where(e => e.Key.StartsWith(ModelKeys.Endpoints, StringComparison.Ordinal)))
        {
            index.Put(ModelJsonContext.Decode(entry, ModelJsonContext.Default.EndpointDocument).ToModel(), entry.ModRevision, claimRevision: null);
        }

        return index;
    }

    public void SetIds(IdsDocument ids, long revision) => Ids = new(ids, revision);

    public void Put(Tenant tenant, long revision) => Tenants[tenant.Name] = new(tenant, revision);

    public void RemoveTenant(string name) => Tenants.Remove(name);

    public void Put(Network network, long revision)
    {
        Networks[network.Name] = new(network, revision);
        NetworksById[network.Id] = network;
        LowestFree.TryAdd(network.Name, network.Subnet.Network.Value + 1);
    }

    public void RemoveNetwork(string name)
    {
        if (Networks.Remove(name, out Versioned<Network> network))
        {
            NetworksById.Remove(network.Value.Id);
            LowestFree.Remove(name);
        }
    }

    /// <param name="claimRevision">The revision of the endpoint's address claim when this change wrote it; null when unchanged.</param>
    public void Put(Endpoint endpoint, long revision, long? claimRevision)
    {
        if (Endpoints.TryGetValue(endpoint.Name, out Versioned<Endpoint> previous))
        {
            Unindex(previous.Value);
        }

        Endpoints[endpoint.Name] = new(endpoint, revision);
        EndpointsByIp[(endpoint.Network, endpoint.Ip)] = endpoint;
        EndpointsByMac[endpoint.Mac] = endpoint;
        if (endpoint.OfPort is uint port)
        {
            EndpointsByPort[(endpoint.Host, port)] = endpoint;
        }

        if (claimRevision is long claimed)
        {
            Claims[(endpoint.Network, endpoint.Ip)] = claimed;
        }

        if (LowestFree.TryGetValue(endpoint.Network, out uint lowest) && lowest == endpoint.Ip.Value)
        {
            LowestFree[endpoint.Network] = lowest + 1;
        }
    }

    public void RemoveEndpoint(string name)
    {
        if (!Endpoints.Remove(name, out Versioned<Endpoint> removed))
        {
            return;
        }

        Endpoint endpoint = removed.Value;
        Unindex(endpoint);
        Claims.Remove((endpoint.Network, endpoint.Ip));
        if (LowestFree.TryGetValue(endpoint.Network, out uint lowest) && endpoint.Ip.Value < lowest)
        {
            LowestFree[endpoint.Network] = endpoint.Ip.Value;
        }
    }

    public void Put(Host host, long revision)
    {
        if (Hosts.TryGetValue(host.Name, out Versioned<Host> previous))
        {
            HostsByDatapath.Remove(previous.Value.DatapathId);
        }

        Hosts[host.Name] = new(host, revision);
        HostsByDatapath[host.DatapathId] = host;
    }

    public void RemoveHost(string name)
    {
        if (Hosts.Remove(name, out Versioned<Host> removed))
        {
            HostsByDatapath.Remove(removed.Value.DatapathId);
        }
    }

    /// <summary>The lowest assignable address of <paramref name="network"/> that no endpoint holds, or null when the subnet is full.</summary>
    public Ipv4Address? FindFreeAddress(Network network)
    {
        uint start = Math.Max(LowestFree.GetValueOrDefault(network.Name), network.Subnet.Network.Value + 1);
        for (uint value = start; value < network.Subnet.Broadcast.Value; value++)
        {
            var ip = new Ipv4Address(value);
            if (ip != network.Gateway && !EndpointsByIp.ContainsKey((network.Name, ip)))
            {
                return ip;
            }
        }

        return null;
    }

    private void Unindex(Endpoint endpoint)
    {
        EndpointsByIp.Remove((endpoint.Network, endpoint.Ip));
        EndpointsByMac.Remove(endpoint.Mac);
        if (endpoint.OfPort is uint port && EndpointsByPort.TryGetValue((endpoint.Host, port), out Endpoint? holder) && holder.Name == endpoint.Name)
        {
            EndpointsByPort.Remove((endpoint.Host, port));
        }
    }
}
