// Compatibility with the reference: Debian's containernetworking-plugins `bridge` (host-local IPAM) and patchbay-cni
// answer ADD for the same kind of request with results of the same shape (field names and JSON kinds; values
// differ). The bridge runs inside a namespace this test creates, so its bridge, veth and forwarding stay there.
using System.Security.Cryptography;
using System.Text.Json;

namespace Patchbay.EndToEnd.Tests.Cni;

public sealed partial class PodmanCniTests
{
    private const string ReferenceBridge = "/usr/lib/cni/bridge";

    [Fact]
    public async Task Add_ResultShape_MatchesTheReferenceBridgePlugin()
    {
        string prefix = "pbref" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        string bridgeHost = prefix + "-h";
        string bridgeContainer = prefix + "-c";
        string ourContainer = prefix + "-p";
        string ipamDirectory = Path.Combine(Podman.Directory, prefix + "-ipam");
        const string Dns = "\"dns\":{\"nameservers\":[\"10.99.0.53\"]}";
        string bridgeConfig = $$"""
            {"cniVersion":"1.0.0","name":"{{prefix}}","type":"bridge","bridge":"pbref0","isGateway":true,
             "ipam":{"type":"host-local","subnet":"10.99.0.0/24","dataDir":"{{ipamDirectory}}","routes":[{"dst":"0.0.0.0/0","gw":"10.99.0.1"}]},{{Dns}}}
            """;
        string ourConfig = $$"""{"cniVersion":"1.0.0","name":"pbh1","type":"patchbay","tenant":"lab","network":"lab","agentSocket":"{{lab.Host("h1").AgentSocket}}",{{Dns}}}""";
        string[] namespaces = [bridgeHost, bridgeContainer, ourContainer];
        try
        {
            foreach (string netns in namespaces)
            {
                await ProcessRunner.RunAsync(["ip", "netns", "add", netns]);
            }

            ProcessResult reference = await RunReferenceAsync(bridgeHost, Env("ADD", prefix + "ref", "/run/netns/" + bridgeContainer), bridgeConfig);
            ProcessResult ours = await Podman.PluginAsync(Env("ADD", prefix + "our", "/run/netns/" + ourContainer), ourConfig);

            Assert.True(reference.Succeeded, $"bridge ADD: {reference.StandardOutput}{reference.StandardError}");
            Assert.True(ours.Succeeded, $"patchbay ADD: {ours.StandardOutput}");
            Assert.Equal(Shape(reference.StandardOutput), Shape(ours.StandardOutput));

            Assert.True((await RunReferenceAsync(bridgeHost, Env("DEL", prefix + "ref", "/run/netns/" + bridgeContainer), bridgeConfig)).Succeeded);
            Assert.True((await Podman.PluginAsync(Env("DEL", prefix + "our", "/run/netns/" + ourContainer), ourConfig)).Succeeded);
        }
        finally
        {
            foreach (string netns in namespaces)
            {
                await ProcessRunner.TryRunAsync(["ip", "netns", "del", netns]);
            }
        }

        Assert.Equal(lab.RootNamespaceBefore, await CniLabFixture.RootNamespaceStateAsync());
    }

    private Task<ProcessResult> RunReferenceAsync(string hostNetns, Dictionary<string, string> env, string config)
    {
        string file = Path.Combine(Podman.Directory, "tmp", hostNetns + "-" + env["CNI_COMMAND"] + ".json");
        File.WriteAllText(file, config);
        return ProcessRunner.TryRunAsync(["ip", "netns", "exec", hostNetns, "sh", "-c", "exec \"$0\" < \"$1\"", ReferenceBridge, file], env, TimeSpan.FromSeconds(30));
    }

    private Dictionary<string, string> Env(string command, string containerId, string netns) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = netns,
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = Podman.PluginDirectory + ":/usr/lib/cni",
    };

    /// <summary>Every field path with its JSON kind; the entries of a list are merged ("interfaces[].sandbox: String").</summary>
    private static string[] Shape(string result)
    {
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        Walk(JsonDocument.Parse(result).RootElement, string.Empty, fields);
        return [.. fields];
    }

    private static void Walk(JsonElement element, string path, SortedSet<string> fields)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    string child = path.Length == 0 ? property.Name : path + "." + property.Name;
                    fields.Add($"{child}: {property.Value.ValueKind}");
                    Walk(property.Value, child, fields);
                }

                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    fields.Add($"{path}[]: {item.ValueKind}");
                    Walk(item, path + "[]", fields);
                }

                break;
            default:
                break;
        }
    }
}
