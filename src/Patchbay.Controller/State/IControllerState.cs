// The controller's state: tenants, hosts, networks, endpoints (with address and MAC allocation),
// conversations and the drops the controller counted itself. Changes to the model are asynchronous (a
// durable store commits them); reads come from memory, because the first-packet path reads on every
// PACKET_IN. Every method is atomic and thread-safe; a refused change throws ControllerStateException and
// changes nothing. The rules are in docs/model.md.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.State;

/// <summary>What POST /v1/networks asks for, parsed; a null Tenant means the default tenant, a null Gateway the subnet's first host address.</summary>
public sealed record NetworkRequest(
    string Name,
    string? Tenant,
    Ipv4Subnet Subnet,
    Ipv4Address? Gateway,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>What POST /v1/endpoints asks for, parsed; null Ip/Mac/Tenant are allocated or defaulted.</summary>
public sealed record EndpointRequest(
    string Name,
    string Network,
    string Host,
    string? Tenant,
    Ipv4Address? Ip,
    MacAddress? Mac,
    IReadOnlyDictionary<string, string> Labels);

public interface IControllerState
{
    /// <summary>
    /// True once the model is loaded from the store and changes can be committed (GET /readyz). Before that,
    /// reads answer from an empty model and changes wait for the load.
    /// </summary>
    bool IsReady { get; }

    /// <summary>Allocates the tenant id. Conflict when the name exists; Invalid for an illegal name or labels.</summary>
    Task<Tenant> CreateTenantAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default);

    Tenant? FindTenant(string name);

    IReadOnlyList<Tenant> Tenants();

    /// <summary>Replaces the tenant's labels. NotFound when absent.</summary>
    Task<Tenant> UpdateTenantLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default);

    /// <summary>NotFound when absent; Conflict while it has networks.</summary>
    Task<Tenant> DeleteTenantAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the host by name; its state is kept. Conflict when another host has its datapath id.</summary>
    Task<Host> UpsertHostAsync(Host host, CancellationToken cancellationToken = default);

    Host? FindHost(string name);

    Host? FindHostByDatapath(ulong datapathId);

    IReadOnlyList<Host> Hosts();

    /// <summary>Sets a host's state (and LastSeen); null when no such host.</summary>
    Task<Host?> SetHostStateAsync(string name, HostState state, CancellationToken cancellationToken = default);

    /// <summary>NotFound when absent; Conflict while endpoints are on it.</summary>
    Task<Host> DeleteHostAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Allocates the network id. NotFound when the tenant does not exist; Conflict when the name exists or the
    /// subnet overlaps another network of the same tenant; Invalid for a gateway that is not a host address.
    /// </summary>
    Task<Network> CreateNetworkAsync(NetworkRequest request, CancellationToken cancellationToken = default);

    Network? FindNetwork(string name);

    Network? FindNetwork(uint id);

    IReadOnlyList<Network> Networks();

    /// <summary>Replaces the network's labels. NotFound when absent.</summary>
    Task<Network> UpdateNetworkLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default);

    /// <summary>NotFound when absent; Conflict while endpoints exist in it.</summary>
    Task<Network> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Allocates the endpoint id, the lowest free address of the subnet (skipping network, gateway and
    /// broadcast) when none is requested, and a locally administered MAC from the id when none is given.
    /// Invalid for an unknown network, a tenant other than the network's, or a requested address outside the
    /// subnet or reserved; Conflict for a taken name, address or MAC, or an exhausted subnet.
    /// </summary>
    Task<Endpoint> CreateEndpointAsync(EndpointRequest request, CancellationToken cancellationToken = default);

    Endpoint? FindEndpoint(string name);

    /// <summary>The endpoint plugged into <paramref name="ofPort"/> of <paramref name="host"/>'s bridge.</summary>
    Endpoint? FindEndpointByPort(string host, uint ofPort);

    Endpoint? FindEndpointByIp(string network, Ipv4Address ip);

    IReadOnlyList<Endpoint> Endpoints(string? host = null, string? network = null);

    /// <summary>Records the OpenFlow port the agent plugged the endpoint into; returns (before, after).</summary>
    Task<(Endpoint Before, Endpoint After)> SetEndpointPortAsync(string name, uint ofPort, CancellationToken cancellationToken = default);

    /// <summary>Replaces the endpoint's labels. NotFound when absent.</summary>
    Task<Endpoint> UpdateEndpointLabelsAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default);

    /// <summary>Releases the endpoint's address. NotFound when absent.</summary>
    Task<Endpoint> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A conversation id never returned before, also by an earlier run of the controller on the same store (flows on the switches carry it).</summary>
    ulong NextConversationId();

    void AddConversation(ConversationRecord conversation);

    ConversationRecord? FindConversation(ulong id);

    /// <summary>
    /// Applies <paramref name="update"/> atomically; null when the conversation is unknown (or aged out of the history).
    /// <paramref name="update"/> runs once, under a lock the conversation's concurrent updates wait for, so it only computes
    /// the new record: quick, and without calling back into the state.
    /// </summary>
    ConversationRecord? UpdateConversation(ulong id, Func<ConversationRecord, ConversationRecord> update);

    IReadOnlyList<ConversationRecord> Conversations(ConversationState? state = null);

    void CountDrop(string host, string reason, ulong bytes);

    IReadOnlyList<DropCount> ControllerDrops();
}
