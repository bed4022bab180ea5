// Which conversations a change could decide differently: the controller compiles the new engine, asks
// newEngine.AffectedBy(oldEngine), and re-decides (or revokes) only the live conversations the impact
// contains; the others keep their flows. A pair's decision depends only on its endpoints' tenant,
// network, address and group memberships and on the rules and connections that name those, so the
// impact is: every pair with an endpoint whose facts or memberships changed, plus, for each rule or
// connection that was added, removed or changed, the pairs it names (in the engine it lives in),
// looked up through the groups of the pair's own endpoints rather than by scanning every change.
using Patchbay.Core.Model;

namespace Patchbay.Core.Policy;

public sealed partial class PolicyEngine
{
    /// <summary>
    /// The pairs whose decision may differ between <paramref name="previous"/> and this engine (sound: a
    /// pair outside it is decided the same by both; not exact: a pair inside may be unchanged).
    /// </summary>
    public PolicyImpact AffectedBy(PolicyEngine previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var touched = new HashSet<uint>();
        foreach (CompiledEndpoint endpoint in _endpoints)
        {
            if (!previous._endpointIndex.TryGetValue(endpoint.Endpoint.Id, out int old) || !SameFacts(endpoint, previous, previous._endpoints[old]))
            {
                touched.Add(endpoint.Endpoint.Id);
            }
        }

        foreach (CompiledEndpoint endpoint in previous._endpoints)
        {
            if (!_endpointIndex.ContainsKey(endpoint.Endpoint.Id))
            {
                touched.Add(endpoint.Endpoint.Id);
            }
        }

        var changedRules = Changed(previous.Policies.Rules, Policies.Rules, r => r.Name);
        var changedConnections = Changed(previous.Policies.Connections, Policies.Connections, c => c.Name);
        return new PolicyImpact(
            touched,
            [previous.ChangedPart(changedRules, changedConnections), ChangedPart(changedRules, changedConnections)]);
    }

    private bool SameFacts(in CompiledEndpoint mine, PolicyEngine other, in CompiledEndpoint theirs)
    {
        Endpoint a = mine.Endpoint;
        Endpoint b = theirs.Endpoint;
        if (a.Tenant != b.Tenant || a.Network != b.Network || a.Ip != b.Ip || a.Name != b.Name || mine.Groups.Length != theirs.Groups.Length)
        {
            return false;
        }

        for (int i = 0; i < mine.Groups.Length; i++)
        {
            if (_groups[mine.Groups[i]].Name != other._groups[theirs.Groups[i]].Name)
            {
                return false;
            }
        }

        return true;
    }

    private ImpactPart ChangedPart(HashSet<string> changedRules, HashSet<string> changedConnections)
    {
        var egress = new Dictionary<int, List<int>>();
        var ingress = new Dictionary<int, List<int>>();
        for (int r = 0; r < _rules.Length; r++)
        {
            PolicyRule rule = _rules[r].Source;
            if (changedRules.Contains(rule.Name) && _groupIndex.TryGetValue(rule.AppliesTo, out int g))
            {
                Dictionary<int, List<int>> byGroup = rule.Direction == RuleDirection.Egress ? egress : ingress;
                if (!byGroup.TryGetValue(g, out List<int>? list))
                {
                    list = [];
                    byGroup.Add(g, list);
                }

                list.Add(r);
            }
        }

        int[] connections = [.. Enumerable.Range(0, _connections.Length).Where(c => changedConnections.Contains(_connections[c].Source.Name))];
        return new ImpactPart(this, egress, ingress, connections);
    }

    private static HashSet<string> Changed<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> name)
        where T : class
    {
        var old = before.ToDictionary(name, StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (T item in after)
        {
            if (!old.Remove(name(item), out T? was) || !was.Equals(item))
            {
                changed.Add(name(item));
            }
        }

        changed.UnionWith(old.Keys);
        return changed;
    }

    /// <summary>The changed rules and connections of one engine, indexed by the group a rule applies to.</summary>
    internal sealed class ImpactPart(PolicyEngine engine, Dictionary<int, List<int>> egress, Dictionary<int, List<int>> ingress, int[] connections)
    {
        public bool IsEmpty => egress.Count == 0 && ingress.Count == 0 && connections.Length == 0;

        public bool Contains(uint sourceId, uint destinationId)
        {
            if (!engine._endpointIndex.TryGetValue(sourceId, out int s) || !engine._endpointIndex.TryGetValue(destinationId, out int d))
            {
                return false;
            }

            return Named(egress, s, d) || Named(ingress, d, s) || Connects(s, d);
        }

        // A rule of a group of `member` whose peers include `peer`.
        private bool Named(Dictionary<int, List<int>> byGroup, int member, int peer)
        {
            if (byGroup.Count == 0)
            {
                return false;
            }

            foreach (int g in engine._endpoints[member].Groups)
            {
                if (byGroup.TryGetValue(g, out List<int>? rules) && rules.Exists(r => engine.PeerMatches(engine._rules[r].Peers, peer)))
                {
                    return true;
                }
            }

            return false;
        }

        private bool Connects(int s, int d)
        {
            foreach (int c in connections)
            {
                CompiledConnection connection = engine._connections[c];
                if ((engine.TargetContains(connection.A, s) && engine.TargetContains(connection.B, d))
                    || (engine.TargetContains(connection.B, s) && engine.TargetContains(connection.A, d)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>The pairs a change may decide differently; see <see cref="PolicyEngine.AffectedBy(PolicyEngine)"/>.</summary>
public sealed class PolicyImpact
{
    private readonly HashSet<uint> _touched;
    private readonly PolicyEngine.ImpactPart[] _parts;

    internal PolicyImpact(HashSet<uint> touched, PolicyEngine.ImpactPart[] parts)
    {
        _touched = touched;
        _parts = parts;
    }

    /// <summary>Endpoints added, removed, or whose network, address or group memberships changed: every pair with one of them is affected.</summary>
    public IReadOnlyCollection<uint> TouchedEndpoints => _touched;

    public bool IsEmpty => _touched.Count == 0 && _parts.All(p => p.IsEmpty);

    /// <summary>Whether a conversation from <paramref name="sourceId"/> to <paramref name="destinationId"/> may be decided differently.</summary>
    public bool Contains(uint sourceId, uint destinationId)
    {
        if (_touched.Contains(sourceId) || _touched.Contains(destinationId))
        {
            return true;
        }

        foreach (PolicyEngine.ImpactPart part in _parts)
        {
            if (part.Contains(sourceId, destinationId))
            {
                return true;
            }
        }

        return false;
    }
}
