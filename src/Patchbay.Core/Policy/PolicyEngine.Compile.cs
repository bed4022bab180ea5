// Compiling a PolicyEngine: group membership through posting lists of (tenant, label, value), so a
// selector with matchLabels looks only at the endpoints that carry its rarest label; rules numbered by
// precedence and listed per group and direction; connections expanded to the endpoints they name.
using Patchbay.Packets;

namespace Patchbay.Core.Policy;

public sealed partial class PolicyEngine
{
    private int[][] Memberships(out int[][] groupsOf)
    {
        var byTenant = new Dictionary<int, List<int>>();
        var postings = new Dictionary<(int Tenant, string Key, string Value), List<int>>();
        for (int e = 0; e < _endpoints.Length; e++)
        {
            ref readonly CompiledEndpoint endpoint = ref _endpoints[e];
            Add(byTenant, endpoint.Tenant, e);
            foreach ((string key, string value) in endpoint.Endpoint.Labels)
            {
                Add(postings, (endpoint.Tenant, key, value), e);
            }
        }

        var members = new int[_groups.Length][];
        var groupLists = new List<int>?[_endpoints.Length];
        for (int g = 0; g < _groups.Length; g++)
        {
            EndpointGroup group = _groups[g];
            if (!_tenantIndex.TryGetValue(group.Tenant, out int tenant))
            {
                members[g] = [];
                continue;
            }

            List<int> candidates = byTenant.TryGetValue(tenant, out List<int>? all) ? all : [];
            foreach ((string key, string value) in group.Selector.MatchLabels)
            {
                List<int> posting = postings.TryGetValue((tenant, key, value), out List<int>? list) ? list : [];
                if (posting.Count < candidates.Count)
                {
                    candidates = posting;
                }
            }

            var selected = new List<int>();
            foreach (int e in candidates)
            {
                if (group.Selector.Matches(_endpoints[e].Endpoint.Labels))
                {
                    selected.Add(e);
                    (groupLists[e] ??= []).Add(g);
                }
            }

            members[g] = [.. selected];
        }

        groupsOf = [.. groupLists.Select(l => l is null ? [] : l.ToArray())];
        return members;
    }

    private CompiledRule[] CompileRules(IReadOnlyList<PolicyRule> rules)
    {
        PolicyRule[] ranked = [.. rules
            .OrderBy(r => r.Priority)
            .ThenBy(r => r.Action == PolicyAction.Deny ? 0 : 1)
            .ThenBy(r => r.Tenant, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
        var compiled = new CompiledRule[ranked.Length];
        for (int i = 0; i < ranked.Length; i++)
        {
            PolicyRule rule = ranked[i];
            int tenant = Intern(_tenantIndex, rule.Tenant);
            CompiledPeer[] peers = [.. rule.Peers.Select(p => p.Kind switch
            {
                PeerKind.Group => new CompiledPeer(PeerKind.Group, _groupIndex.GetValueOrDefault(p.Name!, -1), 0, 0),
                PeerKind.Network => new CompiledPeer(PeerKind.Network, Intern(_networkIndex, p.Name!), 0, 0),
                PeerKind.Tenant => new CompiledPeer(PeerKind.Tenant, Intern(_tenantIndex, p.Name!), 0, 0),
                _ => new CompiledPeer(PeerKind.Cidr, tenant, p.Cidr!.Value.Network.Value, p.Cidr.Value.Mask),
            })];
            byte protocol = rule.Protocol switch
            {
                PolicyProtocol.Tcp => IpProtocol.Tcp,
                PolicyProtocol.Udp => IpProtocol.Udp,
                PolicyProtocol.Icmp => IpProtocol.Icmp,
                _ => 0,
            };
            compiled[i] = new CompiledRule(rule, protocol, [.. rule.Ports], peers);
        }

        return compiled;
    }

    private (int[][] Egress, int[][] Ingress) RulesByGroup()
    {
        var egress = new List<int>?[_groups.Length];
        var ingress = new List<int>?[_groups.Length];
        for (int r = 0; r < _rules.Length; r++)
        {
            PolicyRule rule = _rules[r].Source;
            if (_groupIndex.TryGetValue(rule.AppliesTo, out int g))
            {
                List<int>?[] lists = rule.Direction == RuleDirection.Egress ? egress : ingress;
                (lists[g] ??= []).Add(r);
            }
        }

        return ([.. egress.Select(l => l is null ? [] : l.ToArray())], [.. ingress.Select(l => l is null ? [] : l.ToArray())]);
    }

    private CompiledConnection[] CompileConnections(IReadOnlyList<PairwiseConnection> connections)
    {
        var byName = new Dictionary<string, int>(_endpoints.Length, StringComparer.Ordinal);
        for (int e = 0; e < _endpoints.Length; e++)
        {
            byName[_endpoints[e].Endpoint.Name] = e;
        }

        var compiled = new CompiledConnection[connections.Count];
        var lists = new List<int>?[_endpoints.Length];
        for (int c = 0; c < connections.Count; c++)
        {
            PairwiseConnection connection = connections[c];
            compiled[c] = new CompiledConnection(connection, Target(connection.A), Target(connection.B));
            foreach (int e in Expand(connection.A).Concat(Expand(connection.B)))
            {
                List<int> list = lists[e] ??= [];
                if (list.Count == 0 || list[^1] != c)
                {
                    list.Add(c);
                }
            }
        }

        for (int e = 0; e < _endpoints.Length; e++)
        {
            _endpoints[e].Connections = lists[e]?.ToArray() ?? [];
        }

        return compiled;

        CompiledTarget Target(ConnectionTarget target) => target.Kind == ConnectionTargetKind.Group
            ? new CompiledTarget(_groupIndex.GetValueOrDefault(target.Name, int.MinValue), NoEndpoint)
            : new CompiledTarget(-1, byName.TryGetValue(target.Name, out int e) ? _endpoints[e].Endpoint.Id : NoEndpoint);

        IEnumerable<int> Expand(ConnectionTarget target) => target.Kind == ConnectionTargetKind.Group
            ? _groupIndex.TryGetValue(target.Name, out int g) ? _members[g] : []
            : byName.TryGetValue(target.Name, out int e) ? [e] : [];
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out List<int>? list))
        {
            list = [];
            index.Add(key, list);
        }

        list.Add(value);
    }
}
