// What `patchbay lab up` created, written to /run/patchbay/labs/NAME/lab.json so `lab ls`, `lab exec` and
// `lab down` (also after a crash) know every namespace, process and socket of the lab.
using System.Text.Json.Serialization;

namespace Patchbay.Cli.Lab;

internal sealed record LabHost(string Name, string Netns, string UnderlayIp, string OvsDirectory, string OpenFlowSocket, string AgentSocket, string AgentLog, int AgentPid);

internal sealed record LabEndpoint(string Name, string Host, string Netns, string Ip, string Mac, uint OvsPort);

internal sealed record LabState(
    string Name,
    string Directory,
    string FabricNetns,
    string Segment,
    string ApiSocket,
    string ControllerLog,
    int ControllerPid,
    IReadOnlyList<LabHost> Hosts,
    IReadOnlyList<LabEndpoint> Containers);

/// <summary>`lab ls -o json`: {"hosts": [...], "containers": [...]}.</summary>
internal sealed record LabListing(IReadOnlyList<LabHost> Hosts, IReadOnlyList<LabEndpoint> Containers);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(LabState))]
[JsonSerializable(typeof(LabListing))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
