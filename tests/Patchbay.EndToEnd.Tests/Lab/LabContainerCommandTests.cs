// `patchbay lab env` and `patchbay lab container add|rm` on a real 2x1 lab: a container added on h2 through the
// agent answers a ping from c1 on h1, is an ordinary endpoint for `patchbay endpoint ls` (pointed at the lab by the
// line `lab env` printed), its conversation with c1 shows in `conversation ls|inspect`, and `lab container rm`
// removes its namespace, its endpoint and its lab.json record.
using System.Text.Json.Nodes;
using Patchbay.Cli.Lab;
using Patchbay.EndToEnd.Tests.HotPlug;

namespace Patchbay.EndToEnd.Tests.Lab;

public sealed class LabContainerCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TwoByOneLab _lab = new();

    public Task InitializeAsync() => _lab.InitializeAsync();

    public Task DisposeAsync() => _lab.DisposeAsync();

    [Fact]
    public async Task ContainerAddRm_OnH2_PingedFromC1_ListedAsEndpoint_RemovedCompletely()
    {
        var env = await RunAsync(["lab", "env", "--name", _lab.Name]);
        Assert.Equal($"export PATCHBAY_API=unix:{_lab.State.ApiSocket}\n", env.StandardOutput);
        var api = new Dictionary<string, string> { ["PATCHBAY_API"] = env.StandardOutput.Trim()["export PATCHBAY_API=".Length..] };

        var added = await RunAsync(["lab", "container", "add", "web1", "--name", _lab.Name, "--host", "h2", "--network", HotPlugLab.NetworkName, "--label", "role=web"]);
        Assert.Contains("container 'web1' on h2", added.StandardOutput, StringComparison.Ordinal);
        var web1 = HotPlugLab.Load(_lab.Name)!.Containers.Single(c => c.Name == "web1");
        Assert.Equal($"{_lab.Name}-web1", web1.Netns);

        var ping = await _lab.ExecAsync("c1", ["ping", "-c", "3", "-W", "2", web1.Ip], TimeSpan.FromSeconds(20));
        Assert.True(ping.Succeeded, $"c1 could not ping web1 at {web1.Ip}: {ping.StandardOutput}{ping.StandardError}");

        var listed = await RunAsync(["endpoint", "ls", "--host", "h2", "-o", "json"], api);
        var endpoint = JsonNode.Parse(listed.StandardOutput)!["items"]!.AsArray().Single(e => (string?)e!["name"] == "web1")!;
        Assert.Equal(web1.Ip, (string?)endpoint["ip"]);
        Assert.Equal("web", (string?)endpoint["labels"]!["role"]);
        Assert.Equal(web1.OvsPort, (uint)endpoint["ovsPort"]!);
        var conversations = await RunAsync(["conversation", "ls", "--host", "h2", "-o", "json"], api);
        var conversation = JsonNode.Parse(conversations.StandardOutput)!["items"]!.AsArray()
            .Single(c => (string?)c!["source"] == "c1" && (string?)c["destination"] == "web1")!;
        var inspected = await RunAsync(["conversation", "inspect", (string)conversation["id"]!, "-o", "json"], api);
        Assert.Equal((string?)conversation["cookie"], (string?)JsonNode.Parse(inspected.StandardOutput)!["cookie"]);
        var labLs = await RunAsync(["lab", "ls", "--name", _lab.Name, "-o", "json"]);
        Assert.Contains(JsonNode.Parse(labLs.StandardOutput)!["containers"]!.AsArray(), c => (string?)c!["name"] == "web1");

        var removed = await RunAsync(["lab", "container", "rm", "web1", "--name", _lab.Name]);
        Assert.Equal("container 'web1' removed\n", removed.StandardOutput);
        Assert.DoesNotContain(web1.Netns, await Netns.ListAsync());
        var inspect = await ProcessRunner.TryRunAsync([HotPlugLabFixture.Patchbay, "endpoint", "inspect", "web1"], api, CommandTimeout);
        Assert.Equal(1, inspect.ExitCode);
        Assert.DoesNotContain(HotPlugLab.Load(_lab.Name)!.Containers, c => c.Name == "web1");
        Assert.True((await _lab.ExecAsync("c1", ["ping", "-c", "1", "-W", "1", _lab.Container("c2").Ip])).Succeeded, "c1 no longer reaches c2 after the rm");
    }

    private static async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await ProcessRunner.TryRunAsync([HotPlugLabFixture.Patchbay, .. arguments], environment, CommandTimeout);
        Assert.True(result.Succeeded, $"patchbay {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return result;
    }

    /// <summary>2 hosts x 1 container: c1 on h1, c2 on h2.</summary>
    private sealed class TwoByOneLab() : HotPlugLabFixture(2, 1, null);
}
