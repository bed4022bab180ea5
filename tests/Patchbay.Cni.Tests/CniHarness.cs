// Runs the plugin in-process the way a runtime runs the executable: CNI_* variables, stdin, stdout, exit code.
using System.Collections;
using System.Text.Json;

namespace Patchbay.Cni.Tests;

internal sealed record CniRun(int ExitCode, string Stdout)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>The error result's code, after checking that this run failed with the spec's error shape.</summary>
    public int ErrorCode
    {
        get
        {
            Assert.NotEqual(0, ExitCode);
            Assert.Equal(JsonValueKind.String, Json.GetProperty("msg").ValueKind);
            return Json.GetProperty("code").GetInt32();
        }
    }
}

internal sealed class FakeInspector : INetnsInspector
{
    public InterfaceState? State { get; set; }

    public Task<InterfaceState?> InspectAsync(string netns, string ifName, CancellationToken cancellationToken) => Task.FromResult(State);
}

internal static class CniHarness
{
    public const string ContainerId = "0123456789abcdef0123456789abcdef";

    public static string Config(string socket, string version = "1.0.0", string extra = "") =>
        $$"""{"cniVersion":"{{version}}","name":"pb","type":"patchbay","tenant":"acme","network":"blue","agentSocket":"{{socket}}"{{extra}}}""";

    public static Dictionary<string, string> Env(string command, string netns, string containerId = ContainerId, string ifName = "eth0") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = netns,
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    public static async Task<CniRun> RunAsync(IDictionary env, string stdin, INetnsInspector? inspector = null)
    {
        using var output = new StringWriter();
        int exit = await new CniPlugin(inspector ?? new FakeInspector()).RunAsync(env, new StringReader(stdin), output, CancellationToken.None);
        return new CniRun(exit, output.ToString());
    }
}
