// The JSON shapes of the policy resources (docs/policy.md, "API and CLI"): groups, rules and connections
// have the same fields as in a policy document, so what GET answers can be applied again. PolicyViews
// converts between these shapes and the Core/Policy model; the controller also stores objects in them.
using System.Globalization;
using Patchbay.Core.Model;
using Patchbay.Core.Policy;

namespace Patchbay.Core.Api;

public sealed record PolicyExpressionView(string Key, string Operator, IReadOnlyList<string>? Values = null);

public sealed record PolicySelectorView(IReadOnlyDictionary<string, string>? MatchLabels = null, IReadOnlyList<PolicyExpressionView>? MatchExpressions = null);

/// <param name="Members">The endpoints the group selects now (answers only; never stored).</param>
public sealed record PolicyGroupView(string Name, string Tenant, PolicySelectorView Selector, IReadOnlyList<string>? Members = null);

/// <summary>Exactly one member is set.</summary>
public sealed record PolicyPeerView(string? Group = null, string? Network = null, string? Tenant = null, string? Cidr = null);

/// <param name="Ports">"80" or "8000-8080".</param>
public sealed record PolicyRuleView(
    string Name,
    string Tenant,
    string AppliesTo,
    string Direction,
    IReadOnlyList<PolicyPeerView> Peers,
    string Protocol,
    IReadOnlyList<string> Ports,
    string Action,
    int Priority);

/// <summary>One side of a connection: exactly one of an endpoint or a group.</summary>
public sealed record ConnectionTargetView(string? Endpoint = null, string? Group = null);

/// <param name="Revoked">
/// Only in the answer of POST /v1/connect and /v1/disconnect: the live conversations (and short-lived denials)
/// the change ended, on every switch, before the answer; absent when enforcement did not finish within its bound.
/// </param>
public sealed record ConnectionView(string Name, string Tenant, string Action, ConnectionTargetView A, ConnectionTargetView B, int? Revoked = null);

/// <summary>
/// POST /v1/connect and /v1/disconnect: the pair's connection (one per pair, whatever its action). Tenant
/// defaults to the tenant of side a; Name to one made of the pair when the pair has no connection yet.
/// </summary>
public sealed record ConnectionRequest(ConnectionTargetView A, ConnectionTargetView B, string? Tenant = null, string? Name = null);

/// <param name="Kind">group, rule or connection.</param>
/// <param name="Change">created, updated or unchanged.</param>
public sealed record PolicyChangeView(string Kind, string Name, string Change);

/// <summary>The answer of POST /v1/policy/apply: what happened to each object of the document, in document kind and name order.</summary>
/// <param name="Revoked">
/// The live conversations (and short-lived denials) the change ended, on every switch, before the answer; absent
/// when enforcement did not finish within its bound.
/// </param>
public sealed record PolicyApplyResult(IReadOnlyList<PolicyChangeView> Changes, int? Revoked = null);

/// <summary>GET /v1/policy/decide: the engine's decision for a first packet from one endpoint to another.</summary>
/// <param name="Reason">sameNetwork, otherNetwork, otherTenant, rule, connected or disconnected.</param>
/// <param name="Granularity">ipPair or protocolPort: how specific the flows enforcing it must be.</param>
/// <param name="Group">The group of the deciding rule (its appliesTo).</param>
public sealed record PolicyDecisionView(
    string Source,
    string Destination,
    string Protocol,
    ushort? Port,
    string Verdict,
    string Reason,
    string Granularity,
    string Summary,
    string? Rule = null,
    string? Group = null,
    int? Priority = null,
    string? Connection = null);

/// <summary>Model ↔ API shapes of the policy objects.</summary>
public static class PolicyViews
{
    public static PolicyGroupView View(EndpointGroup group, IReadOnlyList<string>? members = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new PolicyGroupView(
            group.Name,
            group.Tenant,
            new PolicySelectorView(
                group.Selector.MatchLabels.Count == 0 ? null : new SortedDictionary<string, string>(group.Selector.MatchLabels.ToDictionary(), StringComparer.Ordinal),
                group.Selector.MatchExpressions.Count == 0
                    ? null
                    : [.. group.Selector.MatchExpressions.Select(e => new PolicyExpressionView(e.Key, e.Operator.ToString(), e.Values.Count == 0 ? null : e.Values))]),
            members);
    }

    public static PolicyRuleView View(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new PolicyRuleView(
            rule.Name,
            rule.Tenant,
            rule.AppliesTo,
            Lower(rule.Direction),
            [.. rule.Peers.Select(View)],
            Lower(rule.Protocol),
            [.. rule.Ports.Select(p => p.ToString())],
            Lower(rule.Action),
            rule.Priority);
    }

    public static PolicyPeerView View(PolicyPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return peer.Kind switch
        {
            PeerKind.Group => new PolicyPeerView(Group: peer.Name),
            PeerKind.Network => new PolicyPeerView(Network: peer.Name),
            PeerKind.Tenant => new PolicyPeerView(Tenant: peer.Name),
            _ => new PolicyPeerView(Cidr: peer.Cidr?.ToString()),
        };
    }

    public static ConnectionView View(PairwiseConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ConnectionView(connection.Name, connection.Tenant, Lower(connection.Action), View(connection.A), View(connection.B));
    }

    public static ConnectionTargetView View(ConnectionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind == ConnectionTargetKind.Group ? new ConnectionTargetView(Group: target.Name) : new ConnectionTargetView(Endpoint: target.Name);
    }

    /// <exception cref="FormatException">A field that is not what the document format allows.</exception>
    public static EndpointGroup ToModel(PolicyGroupView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var labels = new Dictionary<string, string>(view.Selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        LabelRequirement[] expressions = [.. (view.Selector.MatchExpressions ?? []).Select(e => new LabelRequirement(e.Key, Parse<SelectorOperator>(e.Operator), e.Values ?? []))];
        return new EndpointGroup(view.Name, view.Tenant, new LabelSelector(labels, expressions));
    }

    /// <exception cref="FormatException">A field that is not what the document format allows.</exception>
    public static PolicyRule ToModel(PolicyRuleView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new PolicyRule(
            view.Name,
            view.Tenant,
            view.AppliesTo,
            Parse<RuleDirection>(view.Direction),
            [.. view.Peers.Select(ToModel)],
            Parse<PolicyProtocol>(view.Protocol),
            [.. view.Ports.Select(ParsePorts)],
            Parse<PolicyAction>(view.Action),
            view.Priority);
    }

    /// <exception cref="FormatException">A field that is not what the document format allows.</exception>
    public static PairwiseConnection ToModel(ConnectionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new PairwiseConnection(view.Name, view.Tenant, Parse<ConnectionAction>(view.Action), ToModel(view.A), ToModel(view.B));
    }

    /// <exception cref="FormatException">Neither or both of endpoint and group.</exception>
    public static ConnectionTarget ToModel(ConnectionTargetView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return (view.Endpoint, view.Group) switch
        {
            ({ } endpoint, null) => ConnectionTarget.Endpoint(endpoint),
            (null, { } group) => ConnectionTarget.Group(group),
            _ => throw new FormatException("a connection side is exactly one of endpoint or group"),
        };
    }

    private static PolicyPeer ToModel(PolicyPeerView peer) => peer switch
    {
        { Group: { } g, Network: null, Tenant: null, Cidr: null } => PolicyPeer.Group(g),
        { Group: null, Network: { } n, Tenant: null, Cidr: null } => PolicyPeer.Network(n),
        { Group: null, Network: null, Tenant: { } t, Cidr: null } => PolicyPeer.Tenant(t),
        { Group: null, Network: null, Tenant: null, Cidr: { } c } => PolicyPeer.InCidr(Ipv4Subnet.Parse(c)),
        _ => throw new FormatException("a peer is exactly one of group, network, tenant or cidr"),
    };

    private static PortRange ParsePorts(string text)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? PortRange.Single(ushort.Parse(text, CultureInfo.InvariantCulture))
            : new PortRange(ushort.Parse(text[..dash], CultureInfo.InvariantCulture), ushort.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture));
    }

    private static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out TEnum value) && Enum.IsDefined(value)
            ? value
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
