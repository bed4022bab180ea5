// Runs the external tools the agent and the lab are built from (ip, ovs-*, ethtool, ping, tshark) with captured output,
// a timeout, and errors that name the command line, its exit code and what it printed.
using System.ComponentModel;
using System.Diagnostics;

namespace Patchbay.Agent.HostOs;

/// <summary>What one finished command printed and how it exited.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the command and throws <see cref="HostCommandException"/> unless it exits 0.</summary>
    public static async Task<ProcessResult> RunAsync(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var result = await TryRunAsync(command, environment, timeout, cancellationToken);
        return result.Succeeded ? result : throw new HostCommandException(result);
    }

    /// <summary>Runs the command and returns however it exited; throws only when it cannot start or times out.</summary>
    public static async Task<ProcessResult> TryRunAsync(
        IReadOnlyList<string> command,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var commandLine = string.Join(' ', command);
        using var process = Start(command, environment, commandLine);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return new ProcessResult(commandLine, process.ExitCode, await stdout.WaitAsync(deadline.Token), await stderr.WaitAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillQuietly(process);
            throw new HostCommandException($"'{commandLine}' did not finish within {timeout ?? DefaultTimeout}");
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }
    }

    /// <summary>Starts a long-running command (capture, relay) whose output is collected until it is stopped.</summary>
    public static BackgroundProcess StartBackground(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var commandLine = string.Join(' ', command);
        return new BackgroundProcess(Start(command, environment, commandLine), commandLine);
    }

    private static Process Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment, string commandLine)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var startInfo = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new HostCommandException($"cannot start '{commandLine}': {e.Message} (is '{command[0]}' installed? scripts/install-deps.sh installs the lab's tools)", e);
        }
    }

    internal static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
    }
}
