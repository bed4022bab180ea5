// A real 2-host lab whose agents serve the Docker plugin: after `patchbay lab up`, each host's agent is stopped and
// started again with the same command line plus --docker-socket (in the host's namespace, its log appended to), and
// lab.json gets the new PIDs so `patchbay lab down` stops them as it stops any lab agent.
using System.Diagnostics;
using System.Globalization;
using Patchbay.Cli.Lab;
using Patchbay.EndToEnd.Tests.HotPlug;

namespace Patchbay.EndToEnd.Tests.Docker;

public sealed class DockerLabFixture() : HotPlugLabFixture(2, 1, null), IAsyncLifetime
{
    /// <summary>Each host's Docker plugin socket, by host name.</summary>
    public IReadOnlyDictionary<string, string> DockerSockets { get; private set; } = new Dictionary<string, string>();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        try
        {
            await RestartAgentsWithDockerAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();

    private async Task RestartAgentsWithDockerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sockets = new Dictionary<string, string>(StringComparer.Ordinal);
        var hosts = new List<LabHost>();
        foreach (LabHost host in State.Hosts)
        {
            string socket = Path.Combine(State.Directory, host.Name + ".docker.sock");
            string[] commandLine = (await File.ReadAllTextAsync($"/proc/{host.AgentPid}/cmdline", timeout.Token)).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            using (var agent = Process.GetProcessById(host.AgentPid))
            {
                agent.Kill();
                await agent.WaitForExitAsync(timeout.Token);
            }

            ProcessResult started = await ProcessRunner.RunAsync(
                ["sh", "-c", "log=$1; shift; setsid \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!", "sh", host.AgentLog, "ip", "netns", "exec", host.Netns, .. commandLine, "--docker-socket", socket],
                cancellationToken: timeout.Token);
            hosts.Add(host with { AgentPid = int.Parse(started.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture) });
            sockets[host.Name] = socket;
        }

        HotPlugLab.Save(State with { Hosts = hosts });
        DockerSockets = sockets;
        foreach (string socket in sockets.Values)
        {
            using var plugin = new DockerPluginClient(socket);
            while (!await plugin.IsUpAsync(timeout.Token))
            {
                await Task.Delay(200, timeout.Token);
            }
        }
    }
}
