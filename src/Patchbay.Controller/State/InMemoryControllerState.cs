// IControllerState in memory, behind one lock: every operation is small, so one lock keeps the
// invariants (unique names, unique addresses per network, unique datapath ids) simple and atomic.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.State;

public sealed class InMemoryControllerState(TimeProvider time, int endedConversationHistory = InMemoryControllerState.DefaultEndedConversationHistory) : IControllerState
{
    /// <summary>Ended conversations kept for GET /v1/conversations; the oldest go first.</summary>
    public const int DefaultEndedConversationHistory = 1024;

    /// <summary>The OUI-like prefix of allocated endpoint MACs: locally administered, unicast (0e:50:42).</summary>
    public const ulong EndpointMacPrefix = 0x0e_50_42_00_00_00UL;

    private const uint MaxAllocatedMacId = 0x00ff_ffff;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Network> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Endpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, ConversationRecord> _conversations = [];
    private readonly Queue<ulong> _ended = new();
    private readonly Dictionary<(string Host, string Reason), (ulong Packets, ulong Bytes)> _drops = [];
    private uint _lastNetworkId;
    private uint _lastEndpointId;
    private ulong _lastConversationId;

    public InMemoryControllerState()
        : this(TimeProvider.System)
    {
    }

    public Task<Host> UpsertHostAsync(Host host, CancellationToken cancellationToken = default) => Task.FromResult(UpsertHost(host));

    private Host UpsertHost(Host host)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            Host? other = _hosts.Values.FirstOrDefault(h => h.DatapathId == host.DatapathId && h.Name != host.Name);
            if (other is not null)
            {
                throw ControllerStateException.Conflict("Datapath id taken", $"datapath id {host.DatapathId:x16} belongs to host '{other.Name}'");
            }

            Host stored = _hosts.TryGetValue(host.Name, out Host? existing)
                ? host with { State = existing.DatapathId == host.DatapathId ? existing.State : HostState.Registered }
                : host with { State = HostState.Registered };
            _hosts[host.Name] = stored;
            return stored;
        }
    }

    public Host? FindHost(string name)
    {
        lock (_lock)
        {
            return _hosts.GetValueOrDefault(name);
        }
    }

    public Host? FindHostByDatapath(ulong datapathId)
    {
        lock (_lock)
        {
            return _hosts.Values.FirstOrDefault(h => h.DatapathId == datapathId);
        }
    }

    public IReadOnlyList<Host> Hosts()
    {
        lock (_lock)
        {
            return [.. _hosts.Values.OrderBy(h => h.Name, StringComparer.Ordinal)];
        }
    }

    public Task<Host?> SetHostStateAsync(string name, HostState state, CancellationToken cancellationToken = default) => Task.FromResult(SetHostState(name, state));

    private Host? SetHostState(string name, HostState state)
    {
        lock (_lock)
        {
            if (!_hosts.TryGetValue(name, out Host? host))
            {
                return null;
            }

            Host updated = host with { State = state, LastSeen = time.GetUtcNow() };
            _hosts[name] = updated;
            return updated;
        }
    }

    public Task<Network> CreateNetworkAsync(string name, string tenant, Ipv4Subnet subnet, Ipv4Address gateway, CancellationToken cancellationToken = default) =>
        Task.FromResult(CreateNetwork(name, tenant, subnet, gateway));

    private Network CreateNetwork(string name, string tenant, Ipv4Subnet subnet, Ipv4Address gateway)
    {
        RequireName(name, "network");
        RequireName(tenant, "tenant");
        if (subnet.PrefixLength > 30)
        {
            throw ControllerStateException.Invalid("Subnet too small", $"subnet {subnet} has no room for a network, a gateway, a broadcast and an endpoint; use /30 or larger");
        }

        if (!subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
        {
            throw ControllerStateException.Invalid("Invalid gateway", $"gateway {gateway} is not a host address of {subnet}");
        }

        lock (_lock)
        {
            if (_networks.ContainsKey(name))
            {
                throw ControllerStateException.Conflict("Network exists", $"network '{name}' already exists");
            }

            var network = new Network(++_lastNetworkId, name, tenant, subnet, gateway);
            _networks[name] = network;
            return network;
        }
    }

    public Network? FindNetwork(string name)
    {
        lock (_lock)
        {
            return _networks.GetValueOrDefault(name);
        }
    }

    public Network? FindNetwork(uint id)
    {
        lock (_lock)
        {
            return _networks.Values.FirstOrDefault(n => n.Id == id);
        }
    }

    public IReadOnlyList<Network> Networks()
    {
        lock (_lock)
        {
            return [.. _networks.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
        }
    }

    public Task<Network> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DeleteNetwork(name));

    private Network DeleteNetwork(string name)
    {
        lock (_lock)
        {
            if (!_networks.TryGetValue(name, out Network? network))
            {
                throw ControllerStateException.NotFound("network", name);
            }

            int inUse = _endpoints.Values.Count(e => e.Network == name);
            if (inUse > 0)
            {
                throw ControllerStateException.Conflict("Network in use", $"network '{name}' still has {inUse} endpoint(s); delete them first");
            }

            _networks.Remove(name);
            return network;
        }
    }

    public Task<Endpoint> CreateEndpointAsync(EndpointRequest request, CancellationToken cancellationToken = default) => Task.FromResult(CreateEndpoint(request));

    private Endpoint CreateEndpoint(EndpointRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireName(request.Name, "endpoint");
        RequireName(request.Host, "host");
        lock (_lock)
        {
            if (_endpoints.ContainsKey(request.Name))
            {
                throw ControllerStateException.Conflict("Endpoint exists", $"endpoint '{request.Name}' already exists");
            }

            if (!_networks.TryGetValue(request.Network, out Network? network))
            {
                throw ControllerStateException.Invalid("Unknown network", $"network '{request.Network}' does not exist");
            }

            if (request.Tenant is not null && request.Tenant != network.Tenant)
            {
                throw ControllerStateException.Invalid("Wrong tenant", $"network '{network.Name}' belongs to tenant '{network.Tenant}', not '{request.Tenant}'");
            }

            HashSet<uint> taken = [.. _endpoints.Values.Where(e => e.Network == network.Name).Select(e => e.Ip.Value)];
            Ipv4Address ip = request.Ip is Ipv4Address requested ? CheckRequested(network, requested, taken) : Allocate(network, taken);
            uint id = _lastEndpointId + 1;
            MacAddress mac = request.Mac ?? AllocatedMac(id);
            if (mac.IsMulticast || mac == MacAddress.Zero)
            {
                throw ControllerStateException.Invalid("Invalid MAC", $"{mac} is not a unicast MAC address");
            }

            Endpoint? sameMac = _endpoints.Values.FirstOrDefault(e => e.Mac == mac);
            if (sameMac is not null)
            {
                throw ControllerStateException.Conflict("MAC taken", $"MAC {mac} belongs to endpoint '{sameMac.Name}'");
            }

            _lastEndpointId = id;
            var endpoint = new Endpoint(id, request.Name, network.Tenant, network.Name, ip, mac, request.Host, null, request.Labels, time.GetUtcNow());
            _endpoints[endpoint.Name] = endpoint;
            return endpoint;
        }
    }

    public Endpoint? FindEndpoint(string name)
    {
        lock (_lock)
        {
            return _endpoints.GetValueOrDefault(name);
        }
    }

    public Endpoint? FindEndpointByPort(string host, uint ofPort)
    {
        lock (_lock)
        {
            return _endpoints.Values.FirstOrDefault(e => e.Host == host && e.OfPort == ofPort);
        }
    }

    public Endpoint? FindEndpointByIp(string network, Ipv4Address ip)
    {
        lock (_lock)
        {
            return _endpoints.Values.FirstOrDefault(e => e.Network == network && e.Ip == ip);
        }
    }

    public IReadOnlyList<Endpoint> Endpoints(string? host = null, string? network = null)
    {
        lock (_lock)
        {
            return [.. _endpoints.Values
                .Where(e => (host is null || e.Host == host) && (network is null || e.Network == network))
                .OrderBy(e => e.Id)];
        }
    }

    public Task<(Endpoint Before, Endpoint After)> SetEndpointPortAsync(string name, uint ofPort, CancellationToken cancellationToken = default) =>
        Task.FromResult(SetEndpointPort(name, ofPort));

    private (Endpoint Before, Endpoint After) SetEndpointPort(string name, uint ofPort)
    {
        lock (_lock)
        {
            if (!_endpoints.TryGetValue(name, out Endpoint? endpoint))
            {
                throw ControllerStateException.NotFound("endpoint", name);
            }

            Endpoint? other = _endpoints.Values.FirstOrDefault(e => e.Host == endpoint.Host && e.OfPort == ofPort && e.Name != name);
            if (other is not null)
            {
                throw ControllerStateException.Conflict("Port taken", $"port {ofPort} of host '{endpoint.Host}' belongs to endpoint '{other.Name}'");
            }

            Endpoint updated = endpoint with { OfPort = ofPort };
            _endpoints[name] = updated;
            return (endpoint, updated);
        }
    }

    public Task<Endpoint> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(DeleteEndpoint(name));

    private Endpoint DeleteEndpoint(string name)
    {
        lock (_lock)
        {
            if (!_endpoints.Remove(name, out Endpoint? endpoint))
            {
                throw ControllerStateException.NotFound("endpoint", name);
            }

            return endpoint;
        }
    }

    public ulong NextConversationId() => Interlocked.Increment(ref _lastConversationId);

    public void AddConversation(ConversationRecord conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        lock (_lock)
        {
            if (!_conversations.TryAdd(conversation.Id, conversation))
            {
                throw new InvalidOperationException($"conversation {conversation.Id} already exists");
            }

            Remember(conversation);
        }
    }

    public ConversationRecord? FindConversation(ulong id)
    {
        lock (_lock)
        {
            return _conversations.GetValueOrDefault(id);
        }
    }

    public ConversationRecord? UpdateConversation(ulong id, Func<ConversationRecord, ConversationRecord> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            if (!_conversations.TryGetValue(id, out ConversationRecord? current))
            {
                return null;
            }

            ConversationRecord updated = update(current);
            if (updated.Id != id)
            {
                throw new InvalidOperationException($"an update of conversation {id} may not change its id");
            }

            _conversations[id] = updated;
            if (current.IsActive && !updated.IsActive)
            {
                Remember(updated);
            }

            return updated;
        }
    }

    public IReadOnlyList<ConversationRecord> Conversations(ConversationState? state = null)
    {
        lock (_lock)
        {
            return [.. _conversations.Values.Where(c => state is null || c.Conversation.State == state).OrderBy(c => c.Id)];
        }
    }

    public void CountDrop(string host, string reason, ulong bytes)
    {
        lock (_lock)
        {
            (ulong packets, ulong total) = _drops.GetValueOrDefault((host, reason));
            _drops[(host, reason)] = (packets + 1, total + bytes);
        }
    }

    public IReadOnlyList<DropCount> ControllerDrops()
    {
        lock (_lock)
        {
            return [.. _drops
                .Select(d => new DropCount(d.Key.Host, d.Key.Reason, d.Value.Packets, d.Value.Bytes))
                .OrderBy(d => d.Host, StringComparer.Ordinal)
                .ThenBy(d => d.Reason, StringComparer.Ordinal)];
        }
    }

    /// <summary>The MAC allocated to endpoint <paramref name="id"/> when none is requested: 0e:50:42 and the id's low 24 bits.</summary>
    public static MacAddress AllocatedMac(uint id)
    {
        if (id > MaxAllocatedMacId)
        {
            throw ControllerStateException.Conflict("MACs exhausted", $"endpoint id {id} is beyond the {MaxAllocatedMacId} MACs the controller allocates; pass a MAC");
        }

        return new MacAddress(EndpointMacPrefix | id);
    }

    // Ended conversations are kept in the order they ended, and the oldest forgotten past the bound.
    private void Remember(ConversationRecord conversation)
    {
        if (conversation.IsActive)
        {
            return;
        }

        _ended.Enqueue(conversation.Id);
        while (_ended.Count > endedConversationHistory && _ended.TryDequeue(out ulong oldest))
        {
            _conversations.Remove(oldest);
        }
    }

    private static Ipv4Address CheckRequested(Network network, Ipv4Address ip, HashSet<uint> taken)
    {
        if (!network.Subnet.Contains(ip))
        {
            throw ControllerStateException.Invalid("Address outside subnet", $"{ip} is not in {network.Name}'s subnet {network.Subnet}");
        }

        if (ip == network.Subnet.Network || ip == network.Subnet.Broadcast || ip == network.Gateway)
        {
            string role = ip == network.Gateway ? "gateway" : ip == network.Subnet.Network ? "network" : "broadcast";
            throw ControllerStateException.Invalid("Reserved address", $"{ip} is the {role} address of {network.Name} ({network.Subnet})");
        }

        if (taken.Contains(ip.Value))
        {
            throw ControllerStateException.Conflict("Address taken", $"{ip} is already used in network '{network.Name}'");
        }

        return ip;
    }

    private static Ipv4Address Allocate(Network network, HashSet<uint> taken)
    {
        for (uint value = network.Subnet.Network.Value + 1; value < network.Subnet.Broadcast.Value; value++)
        {
            if (value != network.Gateway.Value && !taken.Contains(value))
            {
                return new Ipv4Address(value);
            }
        }

        throw ControllerStateException.Conflict("Subnet exhausted", $"network '{network.Name}' ({network.Subnet}) has no free address left");
    }

    private static void RequireName(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ControllerStateException.Invalid("Missing name", $"a {what} name is required");
        }
    }
}
