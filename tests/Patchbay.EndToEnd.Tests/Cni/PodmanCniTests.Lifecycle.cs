// The CNI 1.1.0 verbs podman 4.3 does not send, run directly against the lab's h1 agent: GC unplugs an
// attachment missing from the valid list; STATUS tells a serving agent from a socket nobody serves.
using System.Security.Cryptography;
using Patchbay.Cni;
using Patchbay.Core.Api;

namespace Patchbay.EndToEnd.Tests.Cni;

public sealed partial class PodmanCniTests
{
    [Fact]
    public async Task GcAndStatus_AgainstTheLabAgent()
    {
        string netns = "pbgc" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        string containerId = netns + "ctr";
        string config = $$"""{"cniVersion":"1.1.0","name":"pbh1","type":"patchbay","tenant":"lab","network":"lab","agentSocket":"{{lab.Host("h1").AgentSocket}}","cni.dev/valid-attachments":[]}""";
        using PatchbayApiClient api = lab.Api();
        await ProcessRunner.RunAsync(["ip", "netns", "add", netns]);
        try
        {
            ProcessResult add = await Podman.PluginAsync(Env("ADD", containerId, "/run/netns/" + netns), config);
            Assert.True(add.Succeeded, add.StandardOutput);
            Assert.NotNull(await api.FindEndpointAsync(EndpointNames.For(containerId, "eth0")));

            ProcessResult gc = await Podman.PluginAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = Podman.PluginDirectory }, config);

            Assert.True(gc.Succeeded, gc.StandardOutput);
            Assert.Null(await api.FindEndpointAsync(EndpointNames.For(containerId, "eth0")));
            Assert.NotNull(await api.FindEndpointAsync("c1"));
        }
        finally
        {
            await ProcessRunner.TryRunAsync(["ip", "netns", "del", netns]);
        }

        ProcessResult ready = await Podman.PluginAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS" }, config);
        ProcessResult down = await Podman.PluginAsync(new Dictionary<string, string> { ["CNI_COMMAND"] = "STATUS" }, config.Replace("agent.sock", "nobody.sock", StringComparison.Ordinal));
        Assert.Equal((0, string.Empty), (ready.ExitCode, ready.StandardOutput));
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("\"code\": 50", down.StandardOutput, StringComparison.Ordinal);
    }
}
