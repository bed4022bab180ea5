// The JSON shapes of the controller's REST API (/v1/...) and of the agent's local API. Controller, agent
// and CLI share these records so that a field renamed in one place is renamed everywhere.
// Addresses travel as strings ("10.1.0.2", "02:50:42:00:00:01"); datapath ids as 16 hex digits,
// because JSON numbers above 2^53 do not survive every client.
namespace Patchbay.Core.Api;

/// <summary>POST /v1/hosts: an agent registers (or re-registers) its host.</summary>
public sealed record HostRegistration(
    string Name,
    string DatapathId,
    string UplinkMac,
    uint UplinkPort,
    string UnderlayIp,
    string Segment);

public sealed record HostView(
    string Name,
    string DatapathId,
    string UplinkMac,
    uint UplinkPort,
    string UnderlayIp,
    string Segment,
    string State,
    DateTimeOffset LastSeen);

/// <summary>POST /v1/networks. Gateway defaults to the subnet's first host address.</summary>
public sealed record NetworkCreate(string Name, string Tenant, string Subnet, string? Gateway = null);

public sealed record NetworkView(string Name, string Tenant, string Subnet, string Gateway, string GatewayMac);

/// <summary>POST /v1/endpoints. Ip and Mac are allocated when absent; Tenant defaults to the network's.</summary>
public sealed record EndpointCreate(
    string Name,
    string Network,
    string Host,
    string? Tenant = null,
    string? Ip = null,
    string? Mac = null,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>PUT /v1/endpoints/{name}/port: the agent reports the OpenFlow port it plugged the endpoint into.</summary>
public sealed record EndpointPort(uint OvsPort);

public sealed record EndpointView(
    string Name,
    string Tenant,
    string Network,
    string Ip,
    int PrefixLength,
    string Gateway,
    string Mac,
    string Host,
    uint? OvsPort,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created);

/// <param name="PacketIns">PACKET_INs the controller attributed to the conversation (its first packet, plus any that raced the setup).</param>
public sealed record ConversationView(
    string Id,
    string Cookie,
    string Tenant,
    string Source,
    string Destination,
    string Mode,
    string State,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    ulong Packets,
    ulong Bytes,
    double DurationSeconds,
    ulong PacketIns = 0);

/// <summary>GET /v1/drops: packets the switches dropped, by host and reason, from the drop flows' counters.</summary>
public sealed record DropView(string Host, string Reason, ulong Packets, ulong Bytes);

/// <summary>A page of a list resource: GET /v1/{resource} answers { "items": [...] }.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items);

/// <summary>Agent API, POST /v1/plug: create (or find) the endpoint and wire it into a network namespace.</summary>
/// <param name="Netns">Network namespace: a name under /run/netns or a path such as /proc/PID/ns/net.</param>
/// <param name="IfName">Interface name inside the namespace (eth0).</param>
public sealed record PlugRequest(
    string Endpoint,
    string Network,
    string Netns,
    string IfName,
    string? Tenant = null,
    string? Ip = null,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <param name="HostInterface">The host-side veth attached to the bridge.</param>
public sealed record PlugResult(EndpointView Endpoint, string HostInterface, uint OvsPort);

/// <summary>Agent API, POST /v1/unplug. Succeeds for an endpoint it never plugged.</summary>
public sealed record UnplugRequest(string Endpoint);
