// The policy as last committed: the PolicySet and the store mod revision of each object's key (the
// compare of the next change to it). Objects are stored one per key, in the shapes of the REST API
// (Core/Api/PolicyResources.cs), which are those of a policy document. Not thread-safe, like ModelIndex.
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
    private PolicySet? _set;

    /// <summary>Every stored object as one set (built once per change).</summary>
    public PolicySet Set => _set ??= PolicySet.Of(_groups.Values, _rules.Values, _connections.Values);

    /// <summary>The mod revision of the object's key; null when absent (the compare of a creation).</summary>
    public long? Revision(PolicyObjectKind kind, string name) => _revisions.TryGetValue((kind, name), out long revision) ? revision : null;

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

    public void Put(PolicyRule rule, long revision) => Put(_rules, PolicyObjectKind.Rule, rule.Name, rule, revision);

    public void Put(PairwiseConnection connection, long revision) => Put(_connections, PolicyObjectKind.Connection, connection.Name, connection, revision);

    public void Remove(PolicyObjectKind kind, string name)
    {
        _ = kind switch
        {
            PolicyObjectKind.Group => _groups.Remove(name),
            PolicyObjectKind.Rule => _rules.Remove(name),
            _ => _connections.Remove(name),
        };
        _revisions.Remove((kind, name));
        _set = null;
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
