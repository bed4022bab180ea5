// The policy as last committed: the PolicySet and the store mod revision of each object's key (the
// compare of the next change to it), each kind by name, and which rules and connections name each group, so
// that applying a document costs what the document holds, not what is stored. Objects are stored one per key,
// in the shapes of the REST API (Core/Api/PolicyResources.cs), which are those of a policy document. Not
// thread-safe, like ModelIndex.
using System.Text.Json;
using Patchbay.Core.Api;
using Patchbay.Core.Policy;
using Patchbay.Store;

namespace Patchbay.Controller.State;

/// <summary>The store keys of the policy objects: /v1/policy/{groups|rules|connections}/NAME.</summary>
internal static class PolicyKeys
{
    public const string Root = "/v1/policy/";

    public static string Prefix(PolicyObjectKind kind) => kind switch
    {
        PolicyObjectKind.Group => Root + "groups/",
        PolicyObjectKind.Rule => Root + "rules/",
        _ => Root + "connections/",
    };

    public static string Key(PolicyObjectKind kind, string name) => Prefix(kind) + name;

    public static ReadOnlyMemory<byte> Encode(EndpointGroup group) => JsonSerializer.SerializeToUtf8Bytes(PolicyViews.View(group), PatchbayJsonContext.Default.PolicyGroupView);

    public static ReadOnlyMemory<byte> Encode(PolicyRule rule) => JsonSerializer.SerializeToUtf8Bytes(PolicyViews.View(rule), PatchbayJsonContext.Default.PolicyRuleView);

    public static ReadOnlyMemory<byte> Encode(PairwiseConnection connection) => JsonSerializer.SerializeToUtf8Bytes(PolicyViews.View(connection), PatchbayJsonContext.Default.ConnectionView);
}

internal sealed class PolicyIndex
{
    private readonly Dictionary<string, EndpointGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PairwiseConnection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<(PolicyObjectKind Kind, string Name), long> _revisions = [];

    // Group name -> the rules (appliesTo or a group peer) and connections (a group side) that name it.
    private readonly Dictionary<string, HashSet<(PolicyObjectKind Kind, string Name)>> _referrers = new(StringComparer.Ordinal);
    private PolicySet? _set;

    /// <summary>Every stored object as one set (built once per change).</summary>
    public PolicySet Set => _set ??= PolicySet.Of(_groups.Values, _rules.Values, _connections.Values);

    /// <summary>The mod revision of the object's key; null when absent (the compare of a creation).</summary>
    public long? Revision(PolicyObjectKind kind, string name) => _revisions.TryGetValue((kind, name), out long revision) ? revision : null;

    public EndpointGroup? Group(string name) => _groups.GetValueOrDefault(name);

    public PolicyRule? Rule(string name) => _rules.GetValueOrDefault(name);

    public PairwiseConnection? Connection(string name) => _connections.GetValueOrDefault(name);

    /// <summary>The stored rules and connections that name group <paramref name="group"/>.</summary>
    public IEnumerable<(PolicyObjectKind Kind, string Name)> ReferrersOf(string group) =>
        _referrers.TryGetValue(group, out HashSet<(PolicyObjectKind, string)>? referrers) ? referrers : [];

    /// <summary>Reads one stored object; false for a key that is not a policy object's.</summary>
    public bool Load(StoreEntry entry)
    {
        try
        {
            foreach (PolicyObjectKind kind in Enum.GetValues<PolicyObjectKind>())
            {
                if (!entry.Key.StartsWith(PolicyKeys.Prefix(kind), StringComparison.Ordinal))
                {
                    continue;
                }

                switch (kind)
                {
                    case PolicyObjectKind.Group:
                        Put(PolicyViews.ToModel(Decode(entry, PatchbayJsonContext.Default.PolicyGroupView)), entry.ModRevision);
                        break;
                    case PolicyObjectKind.Rule:
                        Put(PolicyViews.ToModel(Decode(entry, PatchbayJsonContext.Default.PolicyRuleView)), entry.ModRevision);
                        break;
                    default:
                        Put(PolicyViews.ToModel(Decode(entry, PatchbayJsonContext.Default.ConnectionView)), entry.ModRevision);
                        break;
                }

                return true;
            }

            return false;
        }
        catch (Exception e) when (e is FormatException or JsonException or OverflowException)
        {
            throw new InvalidDataException($"store key '{entry.Key}' does not hold a policy object: {e.Message}", e);
        }
    }

    public void Put(EndpointGroup group, long revision) => Put(_groups, PolicyObjectKind.Group, group.Name, group, revision);

    public void Put(PolicyRule rule, long revision)
    {
        Unreference(PolicyObjectKind.Rule, rule.Name);
        Put(_rules, PolicyObjectKind.Rule, rule.Name, rule, revision);
        Reference(PolicyObjectKind.Rule, rule.Name, GroupsNamedBy(rule));
    }

    public void Put(PairwiseConnection connection, long revision)
    {
        Unreference(PolicyObjectKind.Connection, connection.Name);
        Put(_connections, PolicyObjectKind.Connection, connection.Name, connection, revision);
        Reference(PolicyObjectKind.Connection, connection.Name, GroupsNamedBy(connection));
    }

    public void Remove(PolicyObjectKind kind, string name)
    {
        Unreference(kind, name);
        _ = kind switch
        {
            PolicyObjectKind.Group => _groups.Remove(name),
            PolicyObjectKind.Rule => _rules.Remove(name),
            _ => _connections.Remove(name),
        };
        _revisions.Remove((kind, name));
        _set = null;
    }

    /// <summary>The groups a rule names: the one it applies to and its group peers.</summary>
    public static IEnumerable<string> GroupsNamedBy(PolicyRule rule) =>
        rule.Peers.Where(p => p.Kind == PeerKind.Group && p.Name is not null).Select(p => p.Name!).Prepend(rule.AppliesTo);

    /// <summary>The groups a connection names: its sides that are groups.</summary>
    public static IEnumerable<string> GroupsNamedBy(PairwiseConnection connection) =>
        new[] { connection.A, connection.B }.Where(t => t.Kind == ConnectionTargetKind.Group).Select(t => t.Name);

    private void Reference(PolicyObjectKind kind, string name, IEnumerable<string> groups)
    {
        foreach (string group in groups)
        {
            if (!_referrers.TryGetValue(group, out HashSet<(PolicyObjectKind, string)>? referrers))
            {
                _referrers[group] = referrers = [];
            }

            referrers.Add((kind, name));
        }
    }

    private void Unreference(PolicyObjectKind kind, string name)
    {
        IEnumerable<string> groups = kind switch
        {
            PolicyObjectKind.Rule when _rules.TryGetValue(name, out PolicyRule? rule) => GroupsNamedBy(rule),
            PolicyObjectKind.Connection when _connections.TryGetValue(name, out PairwiseConnection? connection) => GroupsNamedBy(connection),
            _ => [],
        };
        foreach (string group in groups)
        {
            if (_referrers.TryGetValue(group, out HashSet<(PolicyObjectKind, string)>? referrers) && referrers.Remove((kind, name)) && referrers.Count == 0)
            {
                _referrers.Remove(group);
            }
        }
    }

    private void Put<T>(Dictionary<string, T> objects, PolicyObjectKind kind, string name, T value, long revision)
    {
        objects[name] = value;
        _revisions[(kind, name)] = revision;
        _set = null;
    }

    private static T Decode<T>(StoreEntry entry, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(entry.Value.Span, type) ?? throw new InvalidDataException($"store key '{entry.Key}' holds JSON null");
}
