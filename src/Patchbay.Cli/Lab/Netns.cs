// Network namespaces the lab creates: add, exec inside, delete (after killing every process inside by PID).
using System.Diagnostics;
using Patchbay.Agent.HostOs;

namespace Patchbay.Cli.Lab;

internal sealed class Netns : IAsyncDisposable
{
    private Netns(string name) => Name = name;

    public string Name { get; }

    /// <summary>Creates the namespace with its loopback up; a leftover of the same name is removed first.</summary>
    public static async Task<Netns> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        if ((await ListAsync(cancellationToken)).Contains(name))
        {
            await DeleteAsync(name, cancellationToken);
        }

        await ProcessRunner.RunAsync(["ip", "netns", "add", name], cancellationToken: cancellationToken);
        var netns = new Netns(name);
        await netns.ExecAsync(["ip", "link", "set", "lo", "up"], cancellationToken: cancellationToken);
        return netns;
    }

    /// <summary>Runs a command inside the namespace; throws unless it exits 0.</summary>
    public Task<ProcessResult> ExecAsync(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(Wrap(command), environment, timeout, cancellationToken);

    /// <summary>Runs a command inside the namespace and returns however it exited.</summary>
    public Task<ProcessResult> TryExecAsync(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        ProcessRunner.TryRunAsync(Wrap(command), environment, timeout, cancellationToken);

    /// <summary>Starts a long-running command inside the namespace (ip netns exec keeps the PID: it execs the command).</summary>
    public BackgroundProcess StartBackground(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.StartBackground(Wrap(command), environment);

    /// <summary>One ICMP echo with a short deadline: true when answered.</summary>
    public async Task<bool> PingAsync(string address, CancellationToken cancellationToken = default) =>
        (await TryExecAsync(["ping", "-c", "1", "-W", "1", address], cancellationToken: cancellationToken)).Succeeded;

    public static async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var result = await ProcessRunner.RunAsync(["ip", "netns", "list"], cancellationToken: cancellationToken);
        // Lines look like "name" or "name (id: 3)".
        return result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .ToList();
    }

    /// <summary>Kills every process still inside the namespace (daemons the lab started) by PID, then deletes it.</summary>
    public static async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var pids = await ProcessRunner.TryRunAsync(["ip", "netns", "pids", name], cancellationToken: cancellationToken);
        foreach (var token in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(token, out var pid))
            {
                KillPid(pid);
            }
        }

        await ProcessRunner.TryRunAsync(["ip", "netns", "del", name], cancellationToken: cancellationToken);
    }

    /// <summary>Removes every namespace whose name starts with the prefix: the cleanup after a crash.</summary>
    public static async Task<IReadOnlyList<string>> DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var doomed = (await ListAsync(cancellationToken)).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var name in doomed)
        {
            await DeleteAsync(name, cancellationToken);
        }

        return doomed;
    }

    public async ValueTask DisposeAsync() => await DeleteAsync(Name);

    public override string ToString() => Name;

    private List<string> Wrap(IReadOnlyList<string> command) => ["ip", "netns", "exec", Name, .. command];

    private static void KillPid(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            // Exited since it was listed.
        }
        catch (InvalidOperationException)
        {
            // Exited since it was listed.
        }
    }
}
