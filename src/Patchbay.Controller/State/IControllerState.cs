// The controller's state: hosts, networks, endpoints (with address and MAC allocation), conversations and
// the drops the controller counted itself. Changes to the model are asynchronous (a durable store commits
// them); reads come from memory, because the first-packet path reads on every PACKET_IN. Every method is
// atomic and thread-safe; a refused change throws ControllerStateException.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Controller.State;

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
    /// <summary>Adds or replaces the host by name; its state is kept. Conflict when another host has its datapath id.</summary>
    Task<Host> UpsertHostAsync(Host host, CancellationToken cancellationToken = default);

    Host? FindHost(string name);

    Host? FindHostByDatapath(ulong datapathId);

    IReadOnlyList<Host> Hosts();

    /// <summary>Sets a host's state (and LastSeen); null when no such host.</summary>
    Task<Host?> SetHostStateAsync(string name, HostState state, CancellationToken cancellationToken = default);

    /// <summary>Allocates the network id. Conflict when the name exists.</summary>
    Task<Network> CreateNetworkAsync(string name, string tenant, Ipv4Subnet subnet, Ipv4Address gateway, CancellationToken cancellationToken = default);

    Network? FindNetwork(string name);

    Network? FindNetwork(uint id);

    IReadOnlyList<Network> Networks();

    /// <summary>NotFound when absent; Conflict while endpoints exist in it.</summary>
    Task<Network> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Allocates the endpoint id, the lowest free address of the subnet (skipping network, gateway and
    /// broadcast) when none is requested, and a locally administered MAC from the id when none is given.
    /// </summary>
    Task<Endpoint> CreateEndpointAsync(EndpointRequest request, CancellationToken cancellationToken = default);

    Endpoint? FindEndpoint(string name);

    /// <summary>The endpoint plugged into <paramref name="ofPort"/> of <paramref name="host"/>'s bridge.</summary>
    Endpoint? FindEndpointByPort(string host, uint ofPort);

    Endpoint? FindEndpointByIp(string network, Ipv4Address ip);

    IReadOnlyList<Endpoint> Endpoints(string? host = null, string? network = null);

    /// <summary>Records the OpenFlow port the agent plugged the endpoint into; returns (before, after).</summary>
    Task<(Endpoint Before, Endpoint After)> SetEndpointPortAsync(string name, uint ofPort, CancellationToken cancellationToken = default);

    Task<Endpoint> DeleteEndpointAsync(string name, CancellationToken cancellationToken = default);

    ulong NextConversationId();

    void AddConversation(ConversationRecord conversation);

    ConversationRecord? FindConversation(ulong id);

    /// <summary>Applies <paramref name="update"/> atomically; null when the conversation is unknown (or aged out of the history).</summary>
    ConversationRecord? UpdateConversation(ulong id, Func<ConversationRecord, ConversationRecord> update);

    IReadOnlyList<ConversationRecord> Conversations(ConversationState? state = null);

    void CountDrop(string host, string reason, ulong bytes);

    IReadOnlyList<DropCount> ControllerDrops();
}
