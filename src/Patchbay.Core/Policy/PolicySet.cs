// The desired policy: every group, rule and connection, each kind keyed by name. `policy apply` is an
// upsert by (kind, name): what a document names replaces the stored object of that kind and name, what
// it does not name stays; applying the same document twice changes nothing. `policy rm` removes by name.
namespace Patchbay.Core.Policy;

public enum PolicyObjectKind
{
    Group,
    Rule,
    Connection,
}

public sealed class PolicySet
{
    private PolicySet(IReadOnlyList<EndpointGroup> groups, IReadOnlyList<PolicyRule> rules, IReadOnlyList<PairwiseConnection> connections)
    {
        Groups = groups;
        Rules = rules;
        Connections = connections;
    }

    public static PolicySet Empty { get; } = new([], [], []);

    /// <summary>The groups, ordered by name.</summary>
    public IReadOnlyList<EndpointGroup> Groups { get; }

    /// <summary>The rules, ordered by name (the order never affects a decision).</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>The connections, ordered by name.</summary>
    public IReadOnlyList<PairwiseConnection> Connections { get; }

    public int Count => Groups.Count + Rules.Count + Connections.Count;

    /// <summary>A set of exactly these objects; a name given twice in one kind is an error.</summary>
    public static PolicySet Of(IEnumerable<EndpointGroup> groups, IEnumerable<PolicyRule> rules, IEnumerable<PairwiseConnection> connections)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(connections);
        return new PolicySet(Unique(groups, g => g.Name, "group"), Unique(rules, r => r.Name, "rule"), Unique(connections, c => c.Name, "connection"));
    }

    /// <summary>This set with every object of <paramref name="document"/> added or replacing the one of the same kind and name.</summary>
    public PolicySet Apply(PolicySet document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new PolicySet(
            Merge(Groups, document.Groups, g => g.Name),
            Merge(Rules, document.Rules, r => r.Name),
            Merge(Connections, document.Connections, c => c.Name));
    }

    /// <summary>This set without the object of <paramref name="kind"/> called <paramref name="name"/>; the same set when there is none.</summary>
    public PolicySet Remove(PolicyObjectKind kind, string name) => kind switch
    {
        PolicyObjectKind.Group => new PolicySet([.. Groups.Where(g => g.Name != name)], Rules, Connections),
        PolicyObjectKind.Rule => new PolicySet(Groups, [.. Rules.Where(r => r.Name != name)], Connections),
        PolicyObjectKind.Connection => new PolicySet(Groups, Rules, [.. Connections.Where(c => c.Name != name)]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a policy object kind"),
    };

    /// <summary>Whether both sets hold the same objects (value equality, by name).</summary>
    public bool SameAs(PolicySet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Groups.SequenceEqual(other.Groups) && Rules.SequenceEqual(other.Rules) && Connections.SequenceEqual(other.Connections);
    }

    private static T[] Unique<T>(IEnumerable<T> items, Func<T, string> name, string kind)
    {
        T[] sorted = [.. items.OrderBy(name, StringComparer.Ordinal)];
        for (int i = 1; i < sorted.Length; i++)
        {
            if (name(sorted[i]) == name(sorted[i - 1]))
            {
                throw new ArgumentException($"{kind} '{name(sorted[i])}' is given twice", nameof(items));
            }
        }

        return sorted;
    }

    private static T[] Merge<T>(IReadOnlyList<T> current, IReadOnlyList<T> applied, Func<T, string> name)
    {
        var byName = current.ToDictionary(name, StringComparer.Ordinal);
        foreach (T item in applied)
        {
            byName[name(item)] = item;
        }

        return [.. byName.Values.OrderBy(name, StringComparer.Ordinal)];
    }
}
