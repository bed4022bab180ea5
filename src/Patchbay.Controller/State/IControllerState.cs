// The controller's state: hosts, networks, endpoints (with address and MAC allocation), conversations and
// the drops the controller counted itself. In memory for now; the durable store implements the same
// interface. Every method is atomic and thread-safe; a refused change throws ControllerStateException.
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
    Host UpsertHost(Host host);

    Host? FindHost(string name);

    Host? FindHostByDatapath(ulong datapathId);

    IReadOnlyList<Host> Hosts();

    /// <summary>Sets a host's state (and LastSeen); null when no such host.</summary>
    Host? SetHostState(string name, HostState state);

    /// <summary>Allocates the network id. Conflict when the name exists.</summary>
    Network CreateNetwork(string name, string tenant, Ipv4Subnet subnet, Ipv4Address gateway);

    Network? FindNetwork(string name);

    Network? FindNetwork(uint id);

    IReadOnlyList<Network> Networks();

    /// <summary>NotFound when absent; Conflict while endpoints exist in it.</summary>
    Network DeleteNetwork(string name);

    /// <summary>
    /// Allocates the endpoint id, the lowest free address of the subnet (skipping network, gateway and
    /// broadcast) when none is requested, and a locally administered MAC from the id when none is given.
    /// </summary>
    Endpoint CreateEndpoint(EndpointRequest request);

    Endpoint? FindEndpoint(string name);

    /// <summary>The endpoint plugged into <paramref name="ofPort"/> of <paramref name="host"/>'s bridge.</summary>
    Endpoint? FindEndpointByPort(string host, uint ofPort);

    Endpoint? FindEndpointByIp(string network, Ipv4Address ip);

    IReadOnlyList<Endpoint> Endpoints(string? host = null, string? network = null);

    /// <summary>Records the OpenFlow port the agent plugged the endpoint into; returns (before, after).</summary>
    (Endpoint Before, Endpoint After) SetEndpointPort(string name, uint ofPort);

    Endpoint DeleteEndpoint(string name);

    ulong NextConversationId();

    void AddConversation(ConversationRecord conversation);

    ConversationRecord? FindConversation(ulong id);

    /// <summary>Applies <paramref name="update"/> atomically; null when the conversation is unknown (or aged out of the history).</summary>
    ConversationRecord? UpdateConversation(ulong id, Func<ConversationRecord, ConversationRecord> update);

    IReadOnlyList<ConversationRecord> Conversations(ConversationState? state = null);

    void CountDrop(string host, string reason, ulong bytes);

    IReadOnlyList<DropCount> ControllerDrops();
}
