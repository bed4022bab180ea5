// The policy engine (docs/policy.md): a PolicySet and the endpoints compiled into arrays and indexes so
// that Decide answers a first packet without allocating. Order of precedence for a pair:
//   1. different tenants: deny, always;
//   2. a disconnect between the pair: deny; else a connect: allow;
//   3. the matching rule with the lowest priority number (deny first at equal priority): its action;
//   4. defaults: same network allow, other network deny.
// Rules are numbered by that precedence at compile time (priority, deny before allow, tenant, name), so
// a decision never depends on the order rules were written or applied in.
using Patchbay.Core.Model;
using Patchbay.Packets;

namespace Patchbay.Core.Policy;

public sealed partial class PolicyEngine
{
    private readonly CompiledEndpoint[] _endpoints;
    private readonly Dictionary<uint, int> _endpointIndex;
    private readonly EndpointGroup[] _groups;
    private readonly Dictionary<string, int> _groupIndex;
    private readonly int[][] _members;
    private readonly int[][] _egressRules;
    private readonly int[][] _ingressRules;
    private readonly CompiledRule[] _rules;
    private readonly CompiledConnection[] _connections;
    private readonly Dictionary<string, int> _networkIndex;
    private readonly Dictionary<string, int> _tenantIndex;

    private PolicyEngine(PolicySet policies, IReadOnlyList<Endpoint> endpoints)
    {
        Policies = policies;
        _networkIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _tenantIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _endpointIndex = new Dictionary<uint, int>(endpoints.Count);
        _endpoints = new CompiledEndpoint[endpoints.Count];
        for (int i = 0; i < endpoints.Count; i++)
        {
            Endpoint endpoint = endpoints[i];
            if (!_endpointIndex.TryAdd(endpoint.Id, i))
            {
                throw new ArgumentException($"endpoint id {endpoint.Id} is given twice", nameof(endpoints));
            }

            _endpoints[i] = new CompiledEndpoint(endpoint, Intern(_tenantIndex, endpoint.Tenant), Intern(_networkIndex, endpoint.Network), endpoint.Ip.Value);
        }

        _groups = [.. policies.Groups];
        _groupIndex = new Dictionary<string, int>(_groups.Length, StringComparer.Ordinal);
        for (int g = 0; g < _groups.Length; g++)
        {
            _groupIndex.Add(_groups[g].Name, g);
        }

        _members = Memberships(out int[][] groupsOf);
        for (int i = 0; i < _endpoints.Length; i++)
        {
            _endpoints[i].Groups = groupsOf[i];
        }

        _rules = CompileRules(policies.Rules);
        (_egressRules, _ingressRules) = RulesByGroup();
        _connections = CompileConnections(policies.Connections);
    }

    public PolicySet Policies { get; }

    public int EndpointCount => _endpoints.Length;

    /// <summary>
    /// Compiles <paramref name="policies"/> for <paramref name="endpoints"/>. The set must pass
    /// <see cref="PolicyValidator.Validate(PolicySet)"/>; an invalid set throws <see cref="ArgumentException"/>
    /// with its first problem. Every change (policy or endpoint) compiles a new engine; engines are immutable
    /// and safe to share between threads.
    /// </summary>
    public static PolicyEngine Compile(PolicySet policies, IEnumerable<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(endpoints);
        IReadOnlyList<PolicyProblem> problems = PolicyValidator.Validate(policies);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"the policy set is not valid: {problems[0]}", nameof(policies));
        }

        return new PolicyEngine(policies, [.. endpoints]);
    }

    /// <summary>The decision for a first packet from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public PolicyDecision Decide(Endpoint source, Endpoint destination, byte ipProtocol, ushort destinationPort)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        return Decide(source.Id, destination.Id, ipProtocol, destinationPort);
    }

    /// <summary>
    /// The decision for a first packet from endpoint <paramref name="sourceId"/> to <paramref name="destinationId"/>
    /// with IP protocol <paramref name="ipProtocol"/> (<see cref="IpProtocol"/>) and, for TCP and UDP,
    /// <paramref name="destinationPort"/> (ignored otherwise). Allocates nothing.
    /// </summary>
    public PolicyDecision Decide(uint sourceId, uint destinationId, byte ipProtocol, ushort destinationPort)
    {
        if (!_endpointIndex.TryGetValue(sourceId, out int s) || !_endpointIndex.TryGetValue(destinationId, out int d))
        {
            return new PolicyDecision(PolicyVerdict.Deny, DecisionReason.UnknownEndpoint, PolicyGranularity.IpPair);
        }

        ref readonly CompiledEndpoint source = ref _endpoints[s];
        ref readonly CompiledEndpoint destination = ref _endpoints[d];
        if (source.Tenant != destination.Tenant)
        {
            return new PolicyDecision(PolicyVerdict.Deny, DecisionReason.OtherTenant, PolicyGranularity.IpPair);
        }

        if (source.Connections.Length > 0 && PairwiseDecision(s, d) is { } pairwise)
        {
            return pairwise;
        }

        // One pass over the rules of both ends: the winner for this packet, the first rule for the pair
        // that covers all traffic, and the first narrower allow and deny (which decide the granularity).
        // Lists are in precedence order, and nothing after the first covering rule can change the answer.
        var walk = new RuleWalk(ipProtocol, destinationPort);
        foreach (int group in source.Groups)
        {
            foreach (int rule in _egressRules[group])
            {
                if (rule > walk.FirstCovering)
                {
                    break;
                }

                if (PeerMatches(_rules[rule].Peers, d))
                {
                    walk.Consider(rule, in _rules[rule]);
                }
            }
        }

        foreach (int group in destination.Groups)
        {
            foreach (int rule in _ingressRules[group])
            {
                if (rule > walk.FirstCovering)
                {
                    break;
                }

                if (PeerMatches(_rules[rule].Peers, s))
                {
                    walk.Consider(rule, in _rules[rule]);
                }
            }
        }

        bool sameNetwork = source.Network == destination.Network;
        PolicyAction fallThrough = walk.FirstCovering != int.MaxValue
            ? _rules[walk.FirstCovering].Action
            : sameNetwork ? PolicyAction.Allow : PolicyAction.Deny;
        int firstDifferent = fallThrough == PolicyAction.Allow ? walk.FirstNarrowDeny : walk.FirstNarrowAllow;
        PolicyGranularity granularity = firstDifferent < walk.FirstCovering ? PolicyGranularity.ProtocolPort : PolicyGranularity.IpPair;
        if (walk.Winner != int.MaxValue)
        {
            ref readonly CompiledRule winner = ref _rules[walk.Winner];
            return new PolicyDecision(winner.Action == PolicyAction.Allow ? PolicyVerdict.Allow : PolicyVerdict.Deny, DecisionReason.Rule, granularity, winner.Source);
        }

        return sameNetwork
            ? new PolicyDecision(PolicyVerdict.Allow, DecisionReason.SameNetwork, granularity)
            : new PolicyDecision(PolicyVerdict.Deny, DecisionReason.OtherNetwork, granularity);
    }

    /// <summary>Whether the endpoint is a member of the group (false when either is unknown).</summary>
    public bool IsMember(uint endpointId, string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _endpointIndex.TryGetValue(endpointId, out int e) && _groupIndex.TryGetValue(group, out int g) && IsMember(e, g);
    }

    /// <summary>The names of the groups the endpoint belongs to, in name order.</summary>
    public IReadOnlyList<string> GroupsOf(uint endpointId) =>
        _endpointIndex.TryGetValue(endpointId, out int e) ? [.. _endpoints[e].Groups.Select(g => _groups[g].Name)] : [];

    /// <summary>The ids of the endpoints of a group; empty for an unknown group.</summary>
    public IReadOnlyList<uint> MembersOf(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return _groupIndex.TryGetValue(group, out int g) ? [.. _members[g].Select(e => _endpoints[e].Endpoint.Id)] : [];
    }

    private PolicyDecision? PairwiseDecision(int s, int d)
    {
        // Connections are numbered by name, so of several the first by name is the one reported.
        int connected = int.MaxValue;
        foreach (int c in _endpoints[s].Connections)
        {
            ref readonly CompiledConnection connection = ref _connections[c];
            bool joins = (TargetContains(connection.A, s) && TargetContains(connection.B, d)) || (TargetContains(connection.B, s) && TargetContains(connection.A, d));
            if (!joins)
            {
                continue;
            }

            if (connection.Source.Action == ConnectionAction.Disconnect)
            {
                return new PolicyDecision(PolicyVerdict.Deny, DecisionReason.Disconnected, PolicyGranularity.IpPair, Connection: connection.Source);
            }

            connected = Math.Min(connected, c);
        }

        return connected == int.MaxValue
            ? null
            : new PolicyDecision(PolicyVerdict.Allow, DecisionReason.Connected, PolicyGranularity.IpPair, Connection: _connections[connected].Source);
    }

    private bool TargetContains(CompiledTarget target, int endpoint) =>
        target.Group >= 0 ? IsMember(endpoint, target.Group) : _endpoints[endpoint].Endpoint.Id == target.EndpointId && target.EndpointId != NoEndpoint;

    private bool IsMember(int endpoint, int group) => Array.BinarySearch(_endpoints[endpoint].Groups, group) >= 0;

    private bool PeerMatches(CompiledPeer[] peers, int endpoint)
    {
        ref readonly CompiledEndpoint e = ref _endpoints[endpoint];
        foreach (CompiledPeer peer in peers)
        {
            bool match = peer.Kind switch
            {
                PeerKind.Group => Array.BinarySearch(e.Groups, peer.Value) >= 0,
                PeerKind.Network => e.Network == peer.Value,
                PeerKind.Tenant => e.Tenant == peer.Value,
                _ => (e.Ip & peer.Mask) == peer.Network && e.Tenant == peer.Value,
            };
            if (match)
            {
                return true;
            }
        }

        return false;
    }

    private static int Intern(Dictionary<string, int> index, string name)
    {
        if (!index.TryGetValue(name, out int id))
        {
            id = index.Count;
            index.Add(name, id);
        }

        return id;
    }

    private const uint NoEndpoint = uint.MaxValue;

    private struct CompiledEndpoint(Endpoint endpoint, int tenant, int network, uint ip)
    {
        public readonly Endpoint Endpoint = endpoint;
        public readonly int Tenant = tenant;
        public readonly int Network = network;
        public readonly uint Ip = ip;

        /// <summary>Indexes of the groups it belongs to, ascending.</summary>
        public int[] Groups = [];

        /// <summary>Indexes of the connections that name it or one of its groups, ascending.</summary>
        public int[] Connections = [];
    }

    /// <param name="Value">Group, network or tenant index; for a CIDR, the tenant index.</param>
    private readonly record struct CompiledPeer(PeerKind Kind, int Value, uint Network, uint Mask);

    private readonly struct CompiledRule(PolicyRule source, byte protocol, PortRange[] ports, CompiledPeer[] peers)
    {
        public readonly PolicyRule Source = source;
        public readonly PolicyAction Action = source.Action;
        public readonly bool CoversAll = source.CoversAllTraffic;

        /// <summary>IP protocol number; 0 for any.</summary>
        public readonly byte Protocol = protocol;
        public readonly PortRange[] Ports = ports;
        public readonly CompiledPeer[] Peers = peers;

        public bool Matches(byte ipProtocol, ushort port)
        {
            if (Protocol == 0)
            {
                return true;
            }

            if (Protocol != ipProtocol)
            {
                return false;
            }

            if (Ports.Length == 0 || Protocol == IpProtocol.Icmp)
            {
                return true;
            }

            foreach (PortRange range in Ports)
            {
                if (range.Contains(port))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <param name="Group">Group index, or -1 for an endpoint.</param>
    private readonly record struct CompiledTarget(int Group, uint EndpointId);

    private readonly record struct CompiledConnection(PairwiseConnection Source, CompiledTarget A, CompiledTarget B);

    private struct RuleWalk(byte ipProtocol, ushort port)
    {
        public int Winner = int.MaxValue;
        public int FirstCovering = int.MaxValue;
        public int FirstNarrowAllow = int.MaxValue;
        public int FirstNarrowDeny = int.MaxValue;

        public void Consider(int index, in CompiledRule rule)
        {
            if (index < Winner && rule.Matches(ipProtocol, port))
            {
                Winner = index;
            }

            if (rule.CoversAll)
            {
                FirstCovering = Math.Min(FirstCovering, index);
            }
            else if (rule.Action == PolicyAction.Allow)
            {
                FirstNarrowAllow = Math.Min(FirstNarrowAllow, index);
            }
            else
            {
                FirstNarrowDeny = Math.Min(FirstNarrowDeny, index);
            }
        }
    }
}
