// The rules a policy set must follow (docs/policy.md, "Validation"). Validate(set) checks the set on its
// own: names, references between its objects, tenants, protocols and ports. Validate(set, model) also
// checks what it names in the model: tenants and networks exist, and nothing belongs to another tenant.
// A problem names the object and the field, so a document can point at the line.
using Patchbay.Core.Model;

namespace Patchbay.Core.Policy;

/// <param name="Field">The field inside the object, as in the document (<c>peers[0].group</c>); empty for the object itself.</param>
public sealed record PolicyProblem(PolicyObjectKind Kind, string Name, string Field, string Message)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} '{Name}'{(Field.Length > 0 ? "." + Field : "")}: {Message}";
}

/// <summary>What the policy refers to in the model: the tenants, networks and endpoints the controller holds.</summary>
public sealed record PolicyModelView(IReadOnlyCollection<string> Tenants, IReadOnlyCollection<Network> Networks, IReadOnlyCollection<Endpoint> Endpoints);

public static class PolicyValidator
{
    /// <summary>The highest priority number; 0 is the most important.</summary>
    public const int MaxPriority = 65535;

    private const string CrossTenant = "no rule can allow traffic across tenants";

    public static IReadOnlyList<PolicyProblem> Validate(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var problems = new List<PolicyProblem>();
        var groups = policies.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (EndpointGroup group in policies.Groups)
        {
            Name(problems, PolicyObjectKind.Group, group.Name, group.Tenant);
            foreach ((LabelRequirement requirement, int i) in group.Selector.MatchExpressions.Select((r, i) => (r, i)))
            {
                bool needsValues = requirement.Operator is SelectorOperator.In or SelectorOperator.NotIn;
                if (needsValues != (requirement.Values.Count > 0))
                {
                    problems.Add(new PolicyProblem(PolicyObjectKind.Group, group.Name, $"selector.matchExpressions[{i}].values",
                        needsValues ? $"operator {requirement.Operator} needs at least one value" : $"operator {requirement.Operator} takes no values"));
                }
            }
        }

        foreach (PolicyRule rule in policies.Rules)
        {
            ValidateRule(problems, rule, groups);
        }

        foreach (PairwiseConnection connection in policies.Connections)
        {
            Name(problems, PolicyObjectKind.Connection, connection.Name, connection.Tenant);
            Target(problems, connection, "a", connection.A, groups);
            Target(problems, connection, "b", connection.B, groups);
            if (connection.A == connection.B)
            {
                problems.Add(new PolicyProblem(PolicyObjectKind.Connection, connection.Name, "b", $"{connection.B} is also side a; a connection joins two different things"));
            }
        }

        return problems;
    }

    /// <summary>As <see cref="Validate(PolicySet)"/>, and every tenant and network named exists and no named object is another tenant's.</summary>
    public static IReadOnlyList<PolicyProblem> Validate(PolicySet policies, PolicyModelView model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<PolicyProblem>(Validate(policies));
        var tenants = new HashSet<string>(model.Tenants, StringComparer.Ordinal);
        var networks = model.Networks.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var endpoints = model.Endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (EndpointGroup group in policies.Groups)
        {
            TenantExists(problems, PolicyObjectKind.Group, group.Name, group.Tenant, tenants);
        }

        foreach (PolicyRule rule in policies.Rules)
        {
            TenantExists(problems, PolicyObjectKind.Rule, rule.Name, rule.Tenant, tenants);
            for (int i = 0; i < rule.Peers.Count; i++)
            {
                PolicyPeer peer = rule.Peers[i];
                if (peer.Kind != PeerKind.Network)
                {
                    continue;
                }

                if (!networks.TryGetValue(peer.Name!, out Network? network))
                {
                    problems.Add(new PolicyProblem(PolicyObjectKind.Rule, rule.Name, $"peers[{i}].network", $"network '{peer.Name}' does not exist"));
                }
                else if (network.Tenant != rule.Tenant)
                {
                    problems.Add(new PolicyProblem(PolicyObjectKind.Rule, rule.Name, $"peers[{i}].network", $"network '{peer.Name}' belongs to tenant '{network.Tenant}', not '{rule.Tenant}': {CrossTenant}"));
                }
            }
        }

        foreach (PairwiseConnection connection in policies.Connections)
        {
            TenantExists(problems, PolicyObjectKind.Connection, connection.Name, connection.Tenant, tenants);
            foreach ((string side, ConnectionTarget target) in new[] { ("a", connection.A), ("b", connection.B) })
            {
                if (target.Kind == ConnectionTargetKind.Endpoint && endpoints.TryGetValue(target.Name, out Endpoint? endpoint) && endpoint.Tenant != connection.Tenant)
                {
                    problems.Add(new PolicyProblem(PolicyObjectKind.Connection, connection.Name, $"{side}.endpoint", $"endpoint '{target.Name}' belongs to tenant '{endpoint.Tenant}', not '{connection.Tenant}': {CrossTenant}"));
                }
            }
        }

        return problems;
    }

    private static void ValidateRule(List<PolicyProblem> problems, PolicyRule rule, Dictionary<string, EndpointGroup> groups)
    {
        Name(problems, PolicyObjectKind.Rule, rule.Name, rule.Tenant);
        void Problem(string field, string message) => problems.Add(new PolicyProblem(PolicyObjectKind.Rule, rule.Name, field, message));
        if (!groups.TryGetValue(rule.AppliesTo, out EndpointGroup? appliesTo))
        {
            Problem("appliesTo", $"group '{rule.AppliesTo}' does not exist");
        }
        else if (appliesTo.Tenant != rule.Tenant)
        {
            Problem("appliesTo", $"group '{rule.AppliesTo}' belongs to tenant '{appliesTo.Tenant}', not '{rule.Tenant}'");
        }

        if (rule.Peers.Count == 0)
        {
            Problem("peers", "a rule needs at least one peer (group, network, tenant or cidr)");
        }

        for (int i = 0; i < rule.Peers.Count; i++)
        {
            PolicyPeer peer = rule.Peers[i];
            switch (peer.Kind)
            {
                case PeerKind.Group when !groups.TryGetValue(peer.Name!, out EndpointGroup? group):
                    Problem($"peers[{i}].group", $"group '{peer.Name}' does not exist");
                    break;
                case PeerKind.Group when groups[peer.Name!].Tenant != rule.Tenant:
                    Problem($"peers[{i}].group", $"group '{peer.Name}' belongs to tenant '{groups[peer.Name!].Tenant}', not '{rule.Tenant}': {CrossTenant}");
                    break;
                case PeerKind.Tenant when peer.Name != rule.Tenant:
                    Problem($"peers[{i}].tenant", $"tenant '{peer.Name}' is not the rule's tenant '{rule.Tenant}': {CrossTenant}");
                    break;
                case PeerKind.Network or PeerKind.Group or PeerKind.Tenant when string.IsNullOrEmpty(peer.Name):
                    Problem($"peers[{i}]", "the peer names nothing");
                    break;
                case PeerKind.Cidr when peer.Cidr is null:
                    Problem($"peers[{i}].cidr", "the peer has no prefix");
                    break;
            }
        }

        if (rule.Ports.Count > 0 && rule.Protocol is not (PolicyProtocol.Tcp or PolicyProtocol.Udp))
        {
            Problem("ports", $"ports need protocol tcp or udp, not {rule.Protocol.ToString().ToLowerInvariant()}");
        }

        for (int i = 0; i < rule.Ports.Count; i++)
        {
            PortRange range = rule.Ports[i];
            if (range.First == 0 || range.First > range.Last)
            {
                Problem($"ports[{i}]", $"{range} is not a port range (1-65535, first <= last)");
            }
        }

        if (rule.Priority is < 0 or > MaxPriority)
        {
            Problem("priority", $"{rule.Priority} is not a priority (0-{MaxPriority}, lower wins)");
        }
    }

    private static void Target(List<PolicyProblem> problems, PairwiseConnection connection, string side, ConnectionTarget target, Dictionary<string, EndpointGroup> groups)
    {
        if (target.Kind != ConnectionTargetKind.Group)
        {
            NameOf(problems, PolicyObjectKind.Connection, connection.Name, $"{side}.endpoint", target.Name);
            return;
        }

        if (!groups.TryGetValue(target.Name, out EndpointGroup? group))
        {
            problems.Add(new PolicyProblem(PolicyObjectKind.Connection, connection.Name, $"{side}.group", $"group '{target.Name}' does not exist"));
        }
        else if (group.Tenant != connection.Tenant)
        {
            problems.Add(new PolicyProblem(PolicyObjectKind.Connection, connection.Name, $"{side}.group", $"group '{target.Name}' belongs to tenant '{group.Tenant}', not '{connection.Tenant}': {CrossTenant}"));
        }
    }

    private static void TenantExists(List<PolicyProblem> problems, PolicyObjectKind kind, string name, string tenant, HashSet<string> tenants)
    {
        if (!tenants.Contains(tenant))
        {
            problems.Add(new PolicyProblem(kind, name, "tenant", $"tenant '{tenant}' does not exist"));
        }
    }

    private static void Name(List<PolicyProblem> problems, PolicyObjectKind kind, string name, string tenant)
    {
        NameOf(problems, kind, name, "name", name);
        NameOf(problems, kind, name, "tenant", tenant);
    }

    // The model's name rule (docs/model.md): 1-253 letters, digits, '.', '_', '-', starting with a letter or digit.
    private static void NameOf(List<PolicyProblem> problems, PolicyObjectKind kind, string objectName, string field, string value)
    {
        bool legal = value.Length is > 0 and <= 253 && char.IsAsciiLetterOrDigit(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!legal)
        {
            problems.Add(new PolicyProblem(kind, objectName, field, $"'{value}' is not a name (1-253 letters, digits, '.', '_', '-', starting with a letter or digit)"));
        }
    }
}
