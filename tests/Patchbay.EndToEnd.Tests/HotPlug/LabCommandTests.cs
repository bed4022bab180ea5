// The lab commands themselves: `lab ls -o json` has the documented shape, and `lab down` after kill -9 of the
// controller and every agent still leaves no namespace, process or state directory behind.
using System.Globalization;
using System.Text.Json;
using Patchbay.Cli.Lab;

namespace Patchbay.EndToEnd.Tests.HotPlug;

public sealed class LabCommandTests : IAsyncLifetime
{
    private readonly SmallLabFixture _lab = new();

    public Task InitializeAsync() => _lab.InitializeAsync();

    public Task DisposeAsync() => _lab.DisposeAsync();

    [Fact]
    public async Task Ls_JsonOutput_HostsAndContainersWithNameHostIpMac()
    {
        var result = await ProcessRunner.RunAsync([HotPlugLabFixture.Patchbay, "lab", "ls", "--name", _lab.Name, "-o", "json"]);

        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(["hosts", "containers"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["h1", "h2"], json.RootElement.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("name").GetString()));
        var containers = json.RootElement.GetProperty("containers").EnumerateArray().ToList();
        Assert.Equal(["c1", "c2"], containers.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["h1", "h2"], containers.Select(c => c.GetProperty("host").GetString()));
        Assert.All(containers, c => Assert.StartsWith("10.10.", c.GetProperty("ip").GetString(), StringComparison.Ordinal));
        Assert.All(containers, c => Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", c.GetProperty("mac").GetString()));
    }

    [Fact]
    public async Task Down_AfterKill9OfControllerAndAgents_LeavesNothing()
    {
        var state = _lab.State;
        foreach (var pid in new[] { state.ControllerPid }.Concat(state.Hosts.Select(h => h.AgentPid)))
        {
            await ProcessRunner.RunAsync(["kill", "-9", pid.ToString(CultureInfo.InvariantCulture)]);
        }

        var down = await ProcessRunner.RunAsync([HotPlugLabFixture.Patchbay, "lab", "down", "--name", _lab.Name], timeout: TimeSpan.FromSeconds(120));

        Assert.Contains("removed", down.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain((await Netns.ListAsync()), n => n.StartsWith(_lab.Name + "-", StringComparison.Ordinal));
        Assert.False(Directory.Exists(state.Directory));
        var marker = state.Directory + "/";
        var survivors = Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Where(d => ReadCommandLine(d).Contains(marker, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(survivors);
        var again = await ProcessRunner.RunAsync([HotPlugLabFixture.Patchbay, "lab", "down", "--name", _lab.Name]);
        Assert.Contains("nothing to remove", again.StandardOutput, StringComparison.Ordinal);
    }

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>2 hosts x 1 container: the smallest lab that still has a fabric between hosts.</summary>
    private sealed class SmallLabFixture() : HotPlugLabFixture(2, 1, null);
}
