// Kubernetes label selectors: matchLabels (every key=value present) and matchExpressions (In, NotIn,
// Exists, DoesNotExist), all ANDed. An empty selector selects every endpoint of the group's tenant.
namespace Patchbay.Core.Policy;

public enum SelectorOperator
{
    /// <summary>The label is present and its value is one of the values.</summary>
    In,

    /// <summary>The label is absent, or its value is none of the values (as in Kubernetes).</summary>
    NotIn,

    Exists,

    DoesNotExist,
}

/// <summary>One matchExpressions entry. <see cref="Values"/> is non-empty for In and NotIn, empty otherwise.</summary>
public sealed record LabelRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        bool present = labels.TryGetValue(Key, out string? value);
        return Operator switch
        {
            SelectorOperator.In => present && Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.NotIn => !present || !Values.Contains(value!, StringComparer.Ordinal),
            SelectorOperator.Exists => present,
            SelectorOperator.DoesNotExist => !present,
            _ => false,
        };
    }

    public bool Equals(LabelRequirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Key, Operator, Values.Count);

    public override string ToString() => Operator switch
    {
        SelectorOperator.In => $"{Key} in ({string.Join(",", Values)})",
        SelectorOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        SelectorOperator.Exists => Key,
        _ => $"!{Key}",
    };
}

public sealed record LabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelRequirement> MatchExpressions)
{
    /// <summary>Selects every endpoint of the tenant.</summary>
    public static LabelSelector All { get; } = new(new Dictionary<string, string>(), []);

    public static LabelSelector Labels(params (string Key, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), []);

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach ((string key, string value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out string? actual) || actual != value)
            {
                return false;
            }
        }

        foreach (LabelRequirement requirement in MatchExpressions)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(LabelSelector? other) =>
        other is not null
        && MatchLabels.Count == other.MatchLabels.Count
        && MatchLabels.All(l => other.MatchLabels.TryGetValue(l.Key, out string? v) && v == l.Value)
        && MatchExpressions.SequenceEqual(other.MatchExpressions);

    public override int GetHashCode() => HashCode.Combine(MatchLabels.Count, MatchExpressions.Count);

    public override string ToString() =>
        string.Join(",", MatchLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}").Concat(MatchExpressions.Select(e => e.ToString())));
}
