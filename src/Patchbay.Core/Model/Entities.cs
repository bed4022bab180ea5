// The objects the controller keeps: tenants, hosts, networks, endpoints and conversations. Immutable
// records; a change is a new record. Ids are small integers because flows carry them (metadata, cookies).
// Names are unique per kind across the whole controller (docs/model.md).
using System.Collections.ObjectModel;
using Patchbay.Packets;

namespace Patchbay.Core.Model;

/// <summary>The owner of networks. Two tenants may hold identical subnets; one tenant may not hold overlapping ones.</summary>
/// <param name="Id">Small and never reused while the tenant exists, so that flows may carry it.</param>
public sealed record Tenant(uint Id, string Name, IReadOnlyDictionary<string, string> Labels, DateTimeOffset Created)
{
    /// <summary>The tenant a store starts with, and the one a network gets when none is named.</summary>
    public const string DefaultName = "default";
}

public enum HostState
{
    /// <summary>The agent registered the host; its switch has not connected (or has disconnected).</summary>
    Registered,
    /// <summary>The host's switch is connected and its pipeline installed.</summary>
    Connected,
}

/// <param name="UplinkPort">OpenFlow port number of the uplink on the host's bridge.</param>
/// <param name="Segment">Name of the L2 underlay segment; hosts on one segment talk in direct mode.</param>
public sealed record Host(
    string Name,
    ulong DatapathId,
    MacAddress UplinkMac,
    uint UplinkPort,
    Ipv4Address UnderlayIp,
    string Segment,
    HostState State,
    DateTimeOffset LastSeen);

/// <param name="Id">Carried in flow metadata so that a switch tells overlapping networks apart.</param>
public sealed record Network(uint Id, string Name, string Tenant, Ipv4Subnet Subnet, Ipv4Address Gateway)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The MAC that containers resolve the gateway address to: locally administered, derived from the network id.</summary>
    public MacAddress GatewayMac => new(0x0a_50_42_00_00_00UL | Id);
}

/// <param name="Id">Low bits of the cookies of the endpoint's flows.</param>
/// <param name="OfPort">OpenFlow port on its host's bridge, once the agent has plugged it.</param>
public sealed record Endpoint(
    uint Id,
    string Name,
    string Tenant,
    string Network,
    Ipv4Address Ip,
    MacAddress Mac,
    string Host,
    uint? OfPort,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset Created);

public enum DataPathMode
{
    /// <summary>Same L2 segment: MACs rewritten to host MACs, container IPs preserved.</summary>
    Direct,
}

public enum ConversationState
{
    Active,
    Ended,
}

/// <summary>An allowed conversation between two endpoints; its flows on both switches share <see cref="Cookie"/>.</summary>
public sealed record Conversation(
    ulong Id,
    ulong Cookie,
    string Tenant,
    string Source,
    string Destination,
    DataPathMode Mode,
    ConversationState State,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    ulong Packets,
    ulong Bytes,
    double DurationSeconds);
