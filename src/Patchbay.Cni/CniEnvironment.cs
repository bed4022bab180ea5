// The CNI_* environment variables of one invocation (SPEC.md "Parameters"), checked per verb: what a verb needs
// and is missing or malformed is error 7. CNI_PATH is not read: this plugin delegates to no other plugin.
using System.Collections;

namespace Patchbay.Cni;

public sealed record CniEnvironment(
    string Command,
    string? ContainerId,
    string? Netns,
    string? IfName,
    IReadOnlyDictionary<string, string> Args)
{
    /// <summary>IFNAMSIZ - 1.</summary>
    public const int MaxInterfaceNameLength = 15;

    public static CniEnvironment FromProcess() => Parse(Environment.GetEnvironmentVariables());

    public static CniEnvironment Parse(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        string? Get(string name) => variables[name] is string value && value.Length > 0 ? value : null;

        string command = Get("CNI_COMMAND")
            ?? throw new CniException(CniErrorCode.InvalidEnvironment, "CNI_COMMAND is not set", "expected one of ADD, DEL, CHECK, GC, STATUS, VERSION");
        return new CniEnvironment(command, Get("CNI_CONTAINERID"), Get("CNI_NETNS"), Get("CNI_IFNAME"), ParseArgs(Get("CNI_ARGS")));
    }

    /// <summary>ADD, DEL and CHECK need a container id and an interface name; ADD and CHECK also a namespace.</summary>
    public (string ContainerId, string IfName) RequireAttachment(bool needsNetns)
    {
        string containerId = ContainerId ?? throw Missing("CNI_CONTAINERID");
        if (!IsValidContainerId(containerId))
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_CONTAINERID '{containerId}' is not a container id", "it must start with a letter or digit followed by letters, digits, '_', '.' or '-'");
        }

        string ifName = IfName ?? throw Missing("CNI_IFNAME");
        if (ifName.Length > MaxInterfaceNameLength || ifName is "." or ".." || ifName.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_IFNAME '{ifName}' is not a Linux interface name", $"at most {MaxInterfaceNameLength} characters, no '/', ':' or spaces");
        }

        if (needsNetns && Netns is null)
        {
            throw Missing("CNI_NETNS");
        }

        return (containerId, ifName);
    }

    private static bool IsValidContainerId(string id) =>
        char.IsAsciiLetterOrDigit(id[0]) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>CNI_ARGS: "K=V;K2=V2" (SPEC.md, deprecated but still sent, e.g. IgnoreUnknown=1 and K8S_POD_NAME).</summary>
    private static Dictionary<string, string> ParseArgs(string? raw)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (raw is null)
        {
            return args;
        }

        foreach (string pair in raw.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS entry '{pair}' is not KEY=VALUE", $"CNI_ARGS was '{raw}'");
            }

            args[pair[..equals]] = pair[(equals + 1)..];
        }

        return args;
    }

    private static CniException Missing(string name) =>
        new(CniErrorCode.InvalidEnvironment, $"{name} is not set", "ADD, DEL and CHECK need CNI_CONTAINERID and CNI_IFNAME; ADD and CHECK also CNI_NETNS");
}
