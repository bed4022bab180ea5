// The policy objects of issue #5 (docs/policy.md): groups of endpoints chosen by label selectors, rules
// that allow or deny traffic between a group and its peers, and pairwise connect/disconnect overrides
// (DaoliNet). Immutable records with value equality (lists compared element by element), so that a
// re-applied document is recognised as unchanged and AffectedBy sees only real changes.
using Patchbay.Core.Model;

namespace Patchbay.Core.Policy;

/// <summary>Endpoints of one tenant whose labels match <see cref="Selector"/>. Names are unique across the controller.</summary>
public sealed record EndpointGroup(string Name, string Tenant, LabelSelector Selector);

/// <summary>Which way a rule looks from the group it applies to.</summary>
public enum RuleDirection
{
    /// <summary>Conversations that a peer opens towards a member of the group.</summary>
    Ingress,

    /// <summary>Conversations that a member of the group opens towards a peer.</summary>
    Egress,
}

public enum PeerKind
{
    /// <summary>Members of a group of the same tenant.</summary>
    Group,

    /// <summary>Endpoints of a network of the same tenant.</summary>
    Network,

    /// <summary>Every endpoint of the tenant (the only tenant a peer may name is the rule's own).</summary>
    Tenant,

    /// <summary>Endpoints of the same tenant whose address is in a prefix.</summary>
    Cidr,
}

/// <summary>The other side of a rule. <see cref="Name"/> is set for group, network and tenant; <see cref="Cidr"/> for CIDR.</summary>
public sealed record PolicyPeer(PeerKind Kind, string? Name, Ipv4Subnet? Cidr = null)
{
    public static PolicyPeer Group(string name) => new(PeerKind.Group, name);

    public static PolicyPeer Network(string name) => new(PeerKind.Network, name);

    public static PolicyPeer Tenant(string name) => new(PeerKind.Tenant, name);

    public static PolicyPeer InCidr(Ipv4Subnet subnet) => new(PeerKind.Cidr, null, subnet);

    public override string ToString() => Kind == PeerKind.Cidr ? $"cidr {Cidr}" : $"{Kind.ToString().ToLowerInvariant()} {Name}";
}

public enum PolicyProtocol
{
    Any,
    Tcp,
    Udp,
    Icmp,
}

/// <summary>An inclusive range of destination ports, 1-65535.</summary>
public readonly record struct PortRange(ushort First, ushort Last)
{
    public static PortRange Single(ushort port) => new(port, port);

    public bool Contains(ushort port) => port >= First && port <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}

public enum PolicyAction
{
    Allow,
    Deny,
}

/// <summary>
/// A rule of a tenant: traffic between the members of <see cref="AppliesTo"/> and any of <see cref="Peers"/>,
/// in <see cref="Direction"/>, of <see cref="Protocol"/> to one of <see cref="Ports"/> (all ports when empty),
/// is allowed or denied. Of the rules that match a conversation the one with the lowest
/// <see cref="Priority"/> decides; at equal priority deny wins.
/// </summary>
public sealed record PolicyRule(
    string Name,
    string Tenant,
    string AppliesTo,
    RuleDirection Direction,
    IReadOnlyList<PolicyPeer> Peers,
    PolicyProtocol Protocol,
    IReadOnlyList<PortRange> Ports,
    PolicyAction Action,
    int Priority)
{
    /// <summary>Whether the rule decides every protocol and port alike (protocol any, which takes no ports).</summary>
    public bool CoversAllTraffic => Protocol == PolicyProtocol.Any;

    public bool Equals(PolicyRule? other) =>
        other is not null && Name == other.Name && Tenant == other.Tenant && AppliesTo == other.AppliesTo && Direction == other.Direction
        && Peers.SequenceEqual(other.Peers) && Protocol == other.Protocol && Ports.SequenceEqual(other.Ports)
        && Action == other.Action && Priority == other.Priority;

    public override int GetHashCode() => HashCode.Combine(Name, Tenant, AppliesTo, Direction, Protocol, Action, Priority);
}

public enum ConnectionAction
{
    /// <summary>The pair may talk, whatever the rules and defaults say.</summary>
    Connect,

    /// <summary>The pair may not talk, whatever the rules say or a connect allows.</summary>
    Disconnect,
}

public enum ConnectionTargetKind
{
    Endpoint,
    Group,
}

/// <summary>One side of a pairwise connection: an endpoint or a group, by name.</summary>
public sealed record ConnectionTarget(ConnectionTargetKind Kind, string Name)
{
    public static ConnectionTarget Endpoint(string name) => new(ConnectionTargetKind.Endpoint, name);

    public static ConnectionTarget Group(string name) => new(ConnectionTargetKind.Group, name);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Name}";
}

/// <summary>`patchbay connect A B` / `patchbay disconnect A B`: symmetric, both directions, every protocol.</summary>
public sealed record PairwiseConnection(string Name, string Tenant, ConnectionAction Action, ConnectionTarget A, ConnectionTarget B);
