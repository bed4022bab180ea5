// A long-running helper (tcpdump, socat) owned by its starter and stopped by PID, never by name.
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Patchbay.Cli.Lab;

internal sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    internal BackgroundProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string CommandLine { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (stdout and stderr interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Asks the process to finish (SIGTERM lets tcpdump flush its file), then kills it after the grace
    /// period. Only the exit is awaited, not the end of its output: a child it forked (socat's per-connection
    /// relays) may hold the pipes open for ever, and WaitForExitAsync would wait for them.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (_process.HasExited)
        {
            return;
        }

        await ProcessRunner.TryRunAsync(["kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        var waited = Stopwatch.StartNew();
        while (!_process.HasExited && waited.Elapsed < gracePeriod)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        if (!_process.HasExited)
        {
            ProcessRunner.KillQuietly(_process);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2));
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
