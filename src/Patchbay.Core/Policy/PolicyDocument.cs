// The file of `patchbay policy apply -f FILE.yaml` (docs/policy.md, "The document"): a YAML (or JSON,
// which YAML reads too) mapping with the lists `groups`, `rules` and `connections`. Parsed through
// YamlDotNet's node model, so every error names the line and the field
// (`policy.yaml:12: rules[3].ports[0]: 70000 is not a port (1-65535)`); unknown fields are errors, so a
// typo never silently widens a rule. Applying is an upsert by kind and name into the current set.
using System.Globalization;
using Patchbay.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Patchbay.Core.Policy;

/// <summary>One problem of a document: <c>FILE:LINE: PATH: MESSAGE</c>. <see cref="Line"/> is 0 for an object the document does not hold.</summary>
public sealed record PolicyDocumentError(string File, int Line, string Path, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Path}: {Message}" : $"{File}: {Path}: {Message}";
}

public sealed class PolicyDocumentException(IReadOnlyList<PolicyDocumentError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<PolicyDocumentError> Errors { get; } = errors;
}

public sealed class PolicyDocument
{
    private readonly Dictionary<string, int> _lines;
    private readonly Dictionary<(PolicyObjectKind Kind, string Name), string> _paths;

    private PolicyDocument(string file, PolicySet policies, Dictionary<string, int> lines, Dictionary<(PolicyObjectKind, string), string> paths)
    {
        File = file;
        Policies = policies;
        _lines = lines;
        _paths = paths;
    }

    public string File { get; }

    /// <summary>The objects the document holds.</summary>
    public PolicySet Policies { get; }

    /// <summary>
    /// Reads a document; throws <see cref="PolicyDocumentException"/> with every problem of its form (YAML,
    /// fields, types, ports, names given twice). References between objects are checked by <see cref="ApplyTo"/>,
    /// because a document may name groups that an earlier one applied.
    /// </summary>
    public static PolicyDocument Parse(string text, string file = "policy.yaml")
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(file);
        PolicyDocument document = reader.Read(text);
        if (reader.Errors.Count > 0)
        {
            throw new PolicyDocumentException(reader.Errors);
        }

        return document;
    }

    /// <summary>
    /// <paramref name="current"/> with this document applied (upsert by kind and name), after checking the
    /// result (and, with <paramref name="model"/>, what it names in the model); throws
    /// <see cref="PolicyDocumentException"/> with every problem, each at its line, and changes nothing.
    /// </summary>
    public PolicySet ApplyTo(PolicySet current, PolicyModelView? model = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        PolicySet merged = current.Apply(Policies);
        IReadOnlyList<PolicyProblem> problems = model is null ? PolicyValidator.Validate(merged) : PolicyValidator.Validate(merged, model);
        if (problems.Count > 0)
        {
            throw new PolicyDocumentException([.. problems.Select(Locate)]);
        }

        return merged;
    }

    /// <summary>The problem as a document error: at the line of the field, or of the nearest enclosing field the document has.</summary>
    public PolicyDocumentError Locate(PolicyProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!_paths.TryGetValue((problem.Kind, problem.Name), out string? objectPath))
        {
            return new PolicyDocumentError(File, 0, $"{problem.Kind.ToString().ToLowerInvariant()} '{problem.Name}'{(problem.Field.Length > 0 ? "." + problem.Field : "")}", problem.Message);
        }

        string path = problem.Field.Length > 0 ? $"{objectPath}.{problem.Field}" : objectPath;
        return new PolicyDocumentError(File, LineOf(path), path, problem.Message);
    }

    private int LineOf(string path)
    {
        for (string probe = path; probe.Length > 0; probe = Parent(probe))
        {
            if (_lines.TryGetValue(probe, out int line))
            {
                return line;
            }
        }

        return 0;

        static string Parent(string p)
        {
            int cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            return cut <= 0 ? "" : p[..cut];
        }
    }

    private sealed class Reader(string file)
    {
        private static readonly string[] DocumentFields = ["groups", "rules", "connections"];
        private static readonly string[] GroupFields = ["name", "tenant", "selector"];
        private static readonly string[] SelectorFields = ["matchLabels", "matchExpressions"];
        private static readonly string[] ExpressionFields = ["key", "operator", "values"];
        private static readonly string[] RuleFields = ["name", "tenant", "appliesTo", "direction", "peers", "protocol", "ports", "action", "priority"];
        private static readonly string[] PeerFields = ["group", "network", "tenant", "cidr"];
        private static readonly string[] ConnectionFields = ["name", "tenant", "action", "a", "b"];
        private static readonly string[] TargetFields = ["endpoint", "group"];

        private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
        private readonly Dictionary<(PolicyObjectKind, string), string> _paths = [];

        public List<PolicyDocumentError> Errors { get; } = [];

        public PolicyDocument Read(string text)
        {
            var groups = new List<EndpointGroup>();
            var rules = new List<PolicyRule>();
            var connections = new List<PairwiseConnection>();
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Errors.Add(new PolicyDocumentError(file, (int)e.Start.Line, "(document)", $"not YAML: {e.InnerException?.Message ?? e.Message}"));
                return new PolicyDocument(file, PolicySet.Empty, _lines, _paths);
            }

            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Errors.Add(new PolicyDocumentError(file, stream.Documents.Count > 0 ? Line(stream.Documents[0].RootNode) : 1, "(document)", "expected one mapping with the lists groups, rules and connections"));
                return new PolicyDocument(file, PolicySet.Empty, _lines, _paths);
            }

            Dictionary<string, YamlNode> fields = Fields(root, "", DocumentFields);
            ReadList(fields, "groups", (node, path) => ReadGroup(node, path), groups, PolicyObjectKind.Group, g => g.Name);
            ReadList(fields, "rules", (node, path) => ReadRule(node, path), rules, PolicyObjectKind.Rule, r => r.Name);
            ReadList(fields, "connections", (node, path) => ReadConnection(node, path), connections, PolicyObjectKind.Connection, c => c.Name);
            if (Errors.Count > 0)
            {
                return new PolicyDocument(file, PolicySet.Empty, _lines, _paths);
            }

            return new PolicyDocument(file, PolicySet.Of(groups, rules, connections), _lines, _paths);
        }

        private void ReadList<T>(Dictionary<string, YamlNode> fields, string key, Func<YamlNode, string, T?> read, List<T> into, PolicyObjectKind kind, Func<T, string> name)
            where T : class
        {
            if (!fields.TryGetValue(key, out YamlNode? node))
            {
                return;
            }

            if (node is not YamlSequenceNode list)
            {
                Error(node, key, "expected a list");
                return;
            }

            for (int i = 0; i < list.Children.Count; i++)
            {
                string path = $"{key}[{i}]";
                Mark(list.Children[i], path);
                if (read(list.Children[i], path) is not { } item)
                {
                    continue;
                }

                if (!_paths.TryAdd((kind, name(item)), path))
                {
                    Error(list.Children[i], $"{path}.name", $"{kind.ToString().ToLowerInvariant()} '{name(item)}' is also {_paths[(kind, name(item))]}; names are unique per kind");
                    continue;
                }

                into.Add(item);
            }
        }

        private EndpointGroup? ReadGroup(YamlNode node, string path)
        {
            if (Mapping(node, path) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> map = Fields(fields, path, GroupFields);
            string? name = RequiredText(map, fields, path, "name");
            string tenant = OptionalText(map, path, "tenant") ?? Tenant.DefaultName;
            LabelSelector selector = LabelSelector.All;
            if (map.TryGetValue("selector", out YamlNode? selectorNode) && ReadSelector(selectorNode, $"{path}.selector") is { } read)
            {
                selector = read;
            }

            return name is null ? null : new EndpointGroup(name, tenant, selector);
        }

        private LabelSelector? ReadSelector(YamlNode node, string path)
        {
            if (Mapping(node, path) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> map = Fields(fields, path, SelectorFields);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (map.TryGetValue("matchLabels", out YamlNode? labelsNode) && Mapping(labelsNode, $"{path}.matchLabels") is { } labelMap)
            {
                foreach ((YamlNode key, YamlNode value) in labelMap.Children)
                {
                    string labelPath = $"{path}.matchLabels.{key}";
                    if (Text(key, labelPath) is { } label && Text(value, labelPath) is { } text)
                    {
                        labels[label] = text;
                    }
                }
            }

            var expressions = new List<LabelRequirement>();
            foreach ((YamlNode item, string itemPath) in Items(map, path, "matchExpressions"))
            {
                if (Mapping(item, itemPath) is not { } expression)
                {
                    continue;
                }

                Dictionary<string, YamlNode> e = Fields(expression, itemPath, ExpressionFields);
                string? key = RequiredText(e, expression, itemPath, "key");
                SelectorOperator? op = RequiredEnum<SelectorOperator>(e, expression, itemPath, "operator");
                var values = new List<string>();
                foreach ((YamlNode value, string valuePath) in Items(e, itemPath, "values"))
                {
                    if (Text(value, valuePath) is { } text)
                    {
                        values.Add(text);
                    }
                }

                if (key is not null && op is { } known)
                {
                    expressions.Add(new LabelRequirement(key, known, values));
                }
            }

            return new LabelSelector(labels, expressions);
        }

        private PolicyRule? ReadRule(YamlNode node, string path)
        {
            if (Mapping(node, path) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> map = Fields(fields, path, RuleFields);
            string? name = RequiredText(map, fields, path, "name");
            string tenant = OptionalText(map, path, "tenant") ?? Tenant.DefaultName;
            string? appliesTo = RequiredText(map, fields, path, "appliesTo");
            RuleDirection? direction = RequiredEnum<RuleDirection>(map, fields, path, "direction");
            PolicyProtocol protocol = map.TryGetValue("protocol", out YamlNode? protocolNode) ? Enum<PolicyProtocol>(protocolNode, $"{path}.protocol") ?? PolicyProtocol.Any : PolicyProtocol.Any;
            PolicyAction? action = RequiredEnum<PolicyAction>(map, fields, path, "action");
            int? priority = null;
            if (!map.TryGetValue("priority", out YamlNode? priorityNode))
            {
                Error(fields, $"{path}.priority", $"missing (an integer 0-{PolicyValidator.MaxPriority}; lower wins)");
            }
            else if (Text(priorityNode, $"{path}.priority") is { } text)
            {
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value is >= 0 and <= PolicyValidator.MaxPriority)
                {
                    priority = value;
                }
                else
                {
                    Error(priorityNode, $"{path}.priority", $"{text} is not a priority (an integer 0-{PolicyValidator.MaxPriority}; lower wins)");
                }
            }

            var peers = new List<PolicyPeer>();
            if (!map.ContainsKey("peers"))
            {
                Error(fields, $"{path}.peers", "missing (a list of group, network, tenant or cidr peers)");
            }

            foreach ((YamlNode item, string itemPath) in Items(map, path, "peers"))
            {
                if (ReadPeer(item, itemPath) is { } peer)
                {
                    peers.Add(peer);
                }
            }

            var ports = new List<PortRange>();
            foreach ((YamlNode item, string itemPath) in Items(map, path, "ports"))
            {
                if (ReadPorts(item, itemPath) is { } range)
                {
                    ports.Add(range);
                }
            }

            return name is null || appliesTo is null || direction is null || action is null || priority is null
                ? null
                : new PolicyRule(name, tenant, appliesTo, direction.Value, peers, protocol, ports, action.Value, priority.Value);
        }

        private PolicyPeer? ReadPeer(YamlNode node, string path)
        {
            if (Mapping(node, path) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> map = Fields(fields, path, PeerFields);
            if (map.Count != 1)
            {
                Error(fields, path, "a peer is exactly one of group, network, tenant or cidr");
                return null;
            }

            (string key, YamlNode value) = map.First();
            string fieldPath = $"{path}.{key}";
            if (Text(value, fieldPath) is not { } text)
            {
                return null;
            }

            switch (key)
            {
                case "group":
                    return PolicyPeer.Group(text);
                case "network":
                    return PolicyPeer.Network(text);
                case "tenant":
                    return PolicyPeer.Tenant(text);
                default:
                    if (Ipv4Subnet.TryParse(text, out Ipv4Subnet subnet, out string? error))
                    {
                        return PolicyPeer.InCidr(subnet);
                    }

                    Error(value, fieldPath, error);
                    return null;
            }
        }

        private PortRange? ReadPorts(YamlNode node, string path)
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            int dash = text.IndexOf('-', StringComparison.Ordinal);
            string first = dash < 0 ? text : text[..dash];
            string last = dash < 0 ? text : text[(dash + 1)..];
            if (Port(first) is not { } low || Port(last) is not { } high)
            {
                string bad = Port(first) is null ? first : last;
                Error(node, path, $"{bad} is not a port (1-65535)");
                return null;
            }

            if (low > high)
            {
                Error(node, path, $"{text} is not a port range (first <= last)");
                return null;
            }

            return new PortRange(low, high);

            static ushort? Port(string s) =>
                int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535 ? (ushort)port : null;
        }

        private PairwiseConnection? ReadConnection(YamlNode node, string path)
        {
            if (Mapping(node, path) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> map = Fields(fields, path, ConnectionFields);
            string? name = RequiredText(map, fields, path, "name");
            string tenant = OptionalText(map, path, "tenant") ?? Tenant.DefaultName;
            ConnectionAction? action = RequiredEnum<ConnectionAction>(map, fields, path, "action");
            ConnectionTarget? a = ReadTarget(map, fields, path, "a");
            ConnectionTarget? b = ReadTarget(map, fields, path, "b");
            return name is null || action is null || a is null || b is null ? null : new PairwiseConnection(name, tenant, action.Value, a, b);
        }

        private ConnectionTarget? ReadTarget(Dictionary<string, YamlNode> map, YamlNode parent, string path, string key)
        {
            string targetPath = $"{path}.{key}";
            if (!map.TryGetValue(key, out YamlNode? node))
            {
                Error(parent, targetPath, "missing (an endpoint or a group: {endpoint: NAME} or {group: NAME})");
                return null;
            }

            if (Mapping(node, targetPath) is not { } fields)
            {
                return null;
            }

            Dictionary<string, YamlNode> target = Fields(fields, targetPath, TargetFields);
            if (target.Count != 1)
            {
                Error(fields, targetPath, "exactly one of endpoint or group");
                return null;
            }

            (string kind, YamlNode value) = target.First();
            return Text(value, $"{targetPath}.{kind}") is { } name
                ? new ConnectionTarget(kind == "group" ? ConnectionTargetKind.Group : ConnectionTargetKind.Endpoint, name)
                : null;
        }

        private IEnumerable<(YamlNode Node, string Path)> Items(Dictionary<string, YamlNode> map, string path, string key)
        {
            string listPath = $"{path}.{key}";
            if (!map.TryGetValue(key, out YamlNode? node))
            {
                yield break;
            }

            if (node is not YamlSequenceNode list)
            {
                Error(node, listPath, "expected a list");
                yield break;
            }

            for (int i = 0; i < list.Children.Count; i++)
            {
                string itemPath = $"{listPath}[{i}]";
                Mark(list.Children[i], itemPath);
                yield return (list.Children[i], itemPath);
            }
        }

        // The fields of a mapping by name, each marked with its line; unknown and repeated fields are errors.
        private Dictionary<string, YamlNode> Fields(YamlMappingNode mapping, string path, string[] known)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
            {
                string key = (keyNode as YamlScalarNode)?.Value ?? "";
                string fieldPath = path.Length == 0 ? key : $"{path}.{key}";
                if (!known.Contains(key, StringComparer.Ordinal))
                {
                    Error(keyNode, fieldPath, $"unknown field '{key}' (expected one of {string.Join(", ", known)})");
                }
                else if (!fields.TryAdd(key, value))
                {
                    Error(keyNode, fieldPath, "given twice");
                }
                else
                {
                    _lines[fieldPath] = Line(keyNode);
                }
            }

            return fields;
        }

        private YamlMappingNode? Mapping(YamlNode node, string path)
        {
            if (node is YamlMappingNode mapping)
            {
                return mapping;
            }

            Error(node, path, "expected a mapping");
            return null;
        }

        private string? Text(YamlNode node, string path)
        {
            if (node is YamlScalarNode { Value: { } value })
            {
                return value;
            }

            Error(node, path, "expected a single value");
            return null;
        }

        private string? RequiredText(Dictionary<string, YamlNode> map, YamlNode parent, string path, string key)
        {
            if (map.TryGetValue(key, out YamlNode? node))
            {
                return Text(node, $"{path}.{key}");
            }

            Error(parent, $"{path}.{key}", "missing");
            return null;
        }

        private string? OptionalText(Dictionary<string, YamlNode> map, string path, string key) =>
            map.TryGetValue(key, out YamlNode? node) ? Text(node, $"{path}.{key}") : null;

        private TEnum? RequiredEnum<TEnum>(Dictionary<string, YamlNode> map, YamlNode parent, string path, string key)
            where TEnum : struct, Enum
        {
            if (map.TryGetValue(key, out YamlNode? node))
            {
                return Enum<TEnum>(node, $"{path}.{key}");
            }

            Error(parent, $"{path}.{key}", $"missing (one of {Choices<TEnum>()})");
            return null;
        }

        private TEnum? Enum<TEnum>(YamlNode node, string path)
            where TEnum : struct, Enum
        {
            if (Text(node, path) is not { } text)
            {
                return null;
            }

            foreach (TEnum value in System.Enum.GetValues<TEnum>())
            {
                if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            Error(node, path, $"'{text}' is not one of {Choices<TEnum>()}");
            return null;
        }

        private static string Choices<TEnum>()
            where TEnum : struct, Enum =>
            string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => typeof(TEnum) == typeof(SelectorOperator) ? n : n.ToLowerInvariant()));

        private void Mark(YamlNode node, string path) => _lines[path] = Line(node);

        private void Error(YamlNode node, string path, string message) => Errors.Add(new PolicyDocumentError(file, Line(node), path, message));

        private static int Line(YamlNode node) => (int)node.Start.Line;
    }
}
