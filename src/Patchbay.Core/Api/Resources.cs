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

/// <summary>POST /v1/tenants.</summary>
public sealed record TenantCreate(string Name, IReadOnlyDictionary<string, string>? Labels = null);

public sealed record TenantView(string Name, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created);

/// <summary>POST /v1/networks. Tenant defaults to "default", Gateway to the subnet's first host address.</summary>
public sealed record NetworkCreate(
    string Name,
    string? Tenant,
    string Subnet,
    string? Gateway = null,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <param name="Labels">Always sent by the controller; null only in views built by older code.</param>
public sealed record NetworkView(
    string Name,
    string Tenant,
    string Subnet,
    string Gateway,
    string GatewayMac,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>
/// PATCH /v1/{tenants|networks|endpoints}/{name} (JSON merge patch, RFC 7396, on the mutable fields): each
/// label given is set, a label given as null is removed, labels not named are kept.
/// </summary>
public sealed record ResourcePatch(IReadOnlyDictionary<string, string?>? Labels = null);

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
/// <param name="Reason">Why the policy allowed it: "same-network", "rule", "connected".</param>
/// <param name="Rule">The allowing rule or connect, when one decided.</param>
/// <param name="Protocol">What its flows carry when narrower than the IP pair: "tcp/80", "udp/53", "icmp"; null for the whole pair.</param>
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
    ulong PacketIns = 0,
    string? Reason = null,
    string? Rule = null,
    string? Protocol = null);

/// <summary>GET /v1/drops: packets the switches dropped, by host and reason, from the drop flows' counters.</summary>
public sealed record DropView(string Host, string Reason, ulong Packets, ulong Bytes);

/// <summary>
/// GET /v1/drops/recent: a first packet the controller refused, by source, destination, protocol/port, reason and
/// the rule (or connection) that decided, with the packets dropped for it since <paramref name="FirstSeen"/>.
/// </summary>
/// <param name="Destination">The destination endpoint's name, or the address when no endpoint of the tenant has it.</param>
/// <param name="Protocol">"tcp/22", "udp/53", "icmp", "proto 47", "arp".</param>
/// <param name="Reason">Policy: "rule", "disconnected", "other-network", "other-tenant"; routing: "no-route", "not-allowed-yet"; "arp-unknown-target".</param>
/// <param name="Rule">The rule or connection that decided; null when none did.</param>
/// <param name="Host">The source's host, whose switch holds the drop flow.</param>
/// <param name="Packets">The first packet, packets that raced it, and what the drop flow dropped (counted when the flow expires or is deleted).</param>
public sealed record RecentDropView(
    string Source,
    string Destination,
    string Protocol,
    string Reason,
    string? Rule,
    string Host,
    string Tenant,
    ulong Packets,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);

/// <summary>A page of a list resource: GET /v1/{resource} answers { "items": [...], "continue": "..." }.</summary>
/// <param name="Continue">Pass as <see cref="ListQuery.Continue"/> for the next page; null on the last page.</param>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? Continue = null);

/// <summary>
/// The query of a list request: a page (<see cref="Limit"/>, <see cref="Continue"/>) and filters, all of which
/// must match. A filter a resource does not support is refused with 400 naming it.
/// </summary>
public sealed record ListQuery
{
    /// <summary>Most items in one page: 1..1000, 100 when null.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="ListResponse{T}.Continue"/> token of the previous page.</summary>
    public string? Continue { get; init; }

    public string? Tenant { get; init; }

    public string? Network { get; init; }

    /// <summary>Endpoints on the host; conversations with an end on it; drops counted on it.</summary>
    public string? Host { get; init; }

    /// <summary>"key=value" (the label has that value) or "key" (the label exists).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Conversations: "active" or "ended"; hosts: "registered" or "connected".</summary>
    public string? State { get; init; }
}

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
/// <param name="HostMac">The host-side veth's MAC (the CNI plugin reports it); absent in listings.</param>
public sealed record PlugResult(EndpointView Endpoint, string HostInterface, uint OvsPort, string? HostMac = null);

/// <summary>Agent API, POST /v1/unplug. Succeeds for an endpoint it never plugged.</summary>
public sealed record UnplugRequest(string Endpoint);
