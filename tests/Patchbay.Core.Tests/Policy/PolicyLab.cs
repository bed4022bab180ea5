// Builders for policy tests: endpoints with tenants, networks and labels, and rules with defaults that a
// test overrides only where it matters.
using Patchbay.Core.Model;
using Patchbay.Core.Policy;
using Patchbay.Packets;

namespace Patchbay.Core.Tests.Policy;

internal static class PolicyLab
{
    public static Endpoint Endpoint(uint id, string tenant, string network, params (string Key, string Value)[] labels) => new(
        id,
        $"e{id}",
        tenant,
        network,
        new Ipv4Address(0x0a_01_00_00U | id),
        new MacAddress(0x02_50_42_00_00_00UL | id),
        "h1",
        10 + id,
        labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
        DateTimeOffset.UnixEpoch);

    public static EndpointGroup Group(string name, string tenant, params (string Key, string Value)[] labels) =>
        new(name, tenant, LabelSelector.Labels(labels));

    public static PolicyRule Rule(
        string name,
        string tenant,
        string appliesTo,
        RuleDirection direction,
        PolicyPeer peer,
        PolicyAction action,
        int priority,
        PolicyProtocol protocol = PolicyProtocol.Any,
        params PortRange[] ports) =>
        new(name, tenant, appliesTo, direction, [peer], protocol, ports, action, priority);

    public static PolicySet Set(IEnumerable<EndpointGroup>? groups = null, IEnumerable<PolicyRule>? rules = null, IEnumerable<PairwiseConnection>? connections = null) =>
        PolicySet.Of(groups ?? [], rules ?? [], connections ?? []);

    public static PolicyEngine Compile(IEnumerable<Endpoint> endpoints, IEnumerable<EndpointGroup>? groups = null, IEnumerable<PolicyRule>? rules = null, IEnumerable<PairwiseConnection>? connections = null) =>
        PolicyEngine.Compile(Set(groups, rules, connections), endpoints);
}
