// The network configuration a runtime writes on stdin (SPEC.md "Network configuration"), with Patchbay's fields:
// tenant, network, labels, agentSocket. Patchbay's controller does the IPAM, so an "ipam" section is refused.
using System.Text.Json;

namespace Patchbay.Cni;

public sealed record NetworkConfig(
    string CniVersion,
    string Name,
    string? Tenant,
    string Network,
    string AgentSocket,
    IReadOnlyDictionary<string, string> Labels,
    JsonElement? Dns,
    JsonElement? PrevResult,
    IReadOnlyList<(string ContainerId, string IfName)>? ValidAttachments)
{
    public const string PluginType = "patchbay";

    /// <summary>Where the host's agent listens unless the configuration says otherwise.</summary>
    public const string DefaultAgentSocket = "/run/patchbay/agent.sock";

    /// <summary>The versions this plugin speaks; VERSION lists them.</summary>
    public static readonly IReadOnlyList<string> SupportedVersions = ["1.0.0", "1.1.0"];

    /// <summary>Reads and checks the configuration; CNI_ARGS entries K8S_POD_NAMESPACE and K8S_POD_NAME become labels.</summary>
    public static NetworkConfig Parse(string json, IReadOnlyDictionary<string, string> cniArgs)
    {
        ArgumentNullException.ThrowIfNull(cniArgs);
        using JsonDocument document = ParseDocument(json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("the network configuration must be a JSON object");
        }

        string version = RequiredString(root, "cniVersion");
        if (!SupportedVersions.Contains(version, StringComparer.Ordinal))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"cniVersion '{version}' is not supported", "patchbay-cni supports " + string.Join(", ", SupportedVersions));
        }

        string type = RequiredString(root, "type");
        if (!string.Equals(type, PluginType, StringComparison.Ordinal))
        {
            throw Invalid($"'type' is '{type}', this plugin is '{PluginType}'");
        }

        if (root.TryGetProperty("ipam", out _))
        {
            throw new CniException(CniErrorCode.UnsupportedField, "'ipam' is not supported: Patchbay's controller allocates addresses", "remove the ipam section; the network's subnet is set in Patchbay (patchbay network create)");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        AddLabelMap(root, "labels", labels, "labels");
        if (root.TryGetProperty("runtimeConfig", out JsonElement runtime) && runtime.ValueKind == JsonValueKind.Object)
        {
            AddLabelMap(runtime, "labels", labels, "runtimeConfig.labels");
        }

        if (root.TryGetProperty("args", out JsonElement args) && args.ValueKind == JsonValueKind.Object
            && args.TryGetProperty("cni", out JsonElement cni) && cni.ValueKind == JsonValueKind.Object)
        {
            AddLabelList(cni, labels);
        }

        AddCniArgs(cniArgs, labels);
        return new NetworkConfig(
            version,
            RequiredString(root, "name"),
            OptionalString(root, "tenant"),
            RequiredString(root, "network"),
            OptionalString(root, "agentSocket") ?? DefaultAgentSocket,
            labels,
            OptionalObject(root, "dns"),
            OptionalObject(root, "prevResult"),
            ValidAttachmentsOf(root));
    }

    /// <summary>VERSION needs only the cniVersion the runtime speaks, and any config at all is allowed to be absent.</summary>
    public static string? RequestedVersion(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        using JsonDocument document = ParseDocument(json);
        return document.RootElement.ValueKind == JsonValueKind.Object ? OptionalString(document.RootElement, "cniVersion") : null;
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "the network configuration on stdin is not JSON", e.Message, e);
        }
    }

    private static void AddLabelMap(JsonElement parent, string property, Dictionary<string, string> labels, string path)
    {
        if (!parent.TryGetProperty(property, out JsonElement map) || map.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"'{path}' must be an object of strings");
        }

        foreach (JsonProperty label in map.EnumerateObject())
        {
            labels[label.Name] = label.Value.ValueKind == JsonValueKind.String
                ? label.Value.GetString()!
                : throw Invalid($"label '{path}.{label.Name}' must be a string");
        }
    }

    /// <summary>CONVENTIONS.md: args.cni.labels is a list of {"key", "value"}.</summary>
    private static void AddLabelList(JsonElement cni, Dictionary<string, string> labels)
    {
        if (!cni.TryGetProperty("labels", out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("'args.cni.labels' must be a list of {\"key\", \"value\"}");
        }

        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.String)
            {
                throw Invalid("every entry of 'args.cni.labels' must be {\"key\": string, \"value\": string}");
            }

            labels[key.GetString()!] = value.GetString()!;
        }
    }

    private static void AddCniArgs(IReadOnlyDictionary<string, string> cniArgs, Dictionary<string, string> labels)
    {
        bool ignoreUnknown = cniArgs.TryGetValue("IgnoreUnknown", out string? ignore) && (ignore is "1" || string.Equals(ignore, "true", StringComparison.OrdinalIgnoreCase));
        foreach ((string key, string value) in cniArgs)
        {
            switch (key)
            {
                case "IgnoreUnknown":
                case "K8S_POD_INFRA_CONTAINER_ID":
                case "K8S_POD_UID":
                    break;
                case "K8S_POD_NAMESPACE":
                    labels["io.kubernetes.pod.namespace"] = value;
                    break;
                case "K8S_POD_NAME":
                    labels["io.kubernetes.pod.name"] = value;
                    break;
                default:
                    if (!ignoreUnknown)
                    {
                        throw new CniException(CniErrorCode.UnsupportedField, $"CNI_ARGS key '{key}' is not supported", "known keys: IgnoreUnknown, K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_INFRA_CONTAINER_ID, K8S_POD_UID; add IgnoreUnknown=1 to pass others");
                    }

                    break;
            }
        }
    }

    private static List<(string, string)>? ValidAttachmentsOf(JsonElement root)
    {
        if (!root.TryGetProperty("cni.dev/valid-attachments", out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("'cni.dev/valid-attachments' must be a list of {\"containerID\", \"ifname\"}");
        }

        var attachments = new List<(string, string)>();
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("every entry of 'cni.dev/valid-attachments' must be an object");
            }

            attachments.Add((RequiredString(item, "containerID"), RequiredString(item, "ifname")));
        }

        return attachments;
    }

    private static string RequiredString(JsonElement parent, string property) =>
        OptionalString(parent, property) is { Length: > 0 } value ? value : throw Invalid($"'{property}' is required");

    private static string? OptionalString(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"'{property}' must be a string");
    }

    private static JsonElement? OptionalObject(JsonElement parent, string property)
    {
        if (!parent.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value.Clone() : throw Invalid($"'{property}' must be an object");
    }

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: " + message);
}
