// One Open vSwitch (ovsdb-server + ovs-vswitchd) running inside a lab namespace, with every runtime,
// database and log path under its own directory so several instances and the host's OVS never meet.
using System.Diagnostics;
using System.Globalization;
using Patchbay.Agent.HostOs;

namespace Patchbay.Cli.Lab;

internal sealed class OvsInstance : IAsyncDisposable
{
    private const string SchemaDirectory = "/usr/share/openvswitch";
    private readonly Dictionary<string, string> _environment;

    private OvsInstance(Netns netns, string directory)
    {
        Netns = netns;
        Directory = directory;
        _environment = new Dictionary<string, string>
        {
            ["OVS_RUNDIR"] = RunDirectory,
            ["OVS_DBDIR"] = DbDirectory,
            ["OVS_LOGDIR"] = LogDirectory,
            ["OVS_PKGDATADIR"] = SchemaDirectory,
            ["OVS_SYSCONFDIR"] = System.IO.Path.Combine(directory, "etc"),
        };
    }

    public Netns Netns { get; }

    public string Directory { get; }

    public string RunDirectory => System.IO.Path.Combine(Directory, "run");

    public string DbDirectory => System.IO.Path.Combine(Directory, "db");

    public string LogDirectory => System.IO.Path.Combine(Directory, "log");

    public string DbSocketPath => System.IO.Path.Combine(RunDirectory, "db.sock");

    /// <summary>The OVSDB target our client and ovs-vsctl connect to.</summary>
    public string OvsdbTarget => "unix:" + DbSocketPath;

    public string VswitchdLogPath => System.IO.Path.Combine(LogDirectory, "ovs-vswitchd.log");

    /// <summary>The OVS_* variables that point ovs-vsctl, ovs-ofctl and ovs-appctl at this instance.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>Creates a fresh database and starts ovsdb-server, then ovs-vswitchd, inside the namespace.</summary>
    public static async Task<OvsInstance> StartAsync(Netns netns, string directory, CancellationToken cancellationToken = default)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        var ovs = new OvsInstance(netns, directory);
        foreach (var sub in new[] { ovs.RunDirectory, ovs.DbDirectory, ovs.LogDirectory, ovs.Environment["OVS_SYSCONFDIR"] })
        {
            System.IO.Directory.CreateDirectory(sub);
        }

        try
        {
            var db = System.IO.Path.Combine(ovs.DbDirectory, "conf.db");
            await ProcessRunner.RunAsync(["ovsdb-tool", "create", db, System.IO.Path.Combine(SchemaDirectory, "vswitch.ovsschema")], ovs._environment, cancellationToken: cancellationToken);
            await netns.ExecAsync(
                ["ovsdb-server", db, "--remote=punix:" + ovs.DbSocketPath, .. ovs.DaemonOptions("ovsdb-server")],
                ovs._environment,
                cancellationToken: cancellationToken);
            await ovs.VsctlAsync(["--no-wait", "init"], cancellationToken);
            // --disable-system: this machine has no OVS kernel module; only datapath_type=netdev bridges exist.
            await netns.ExecAsync(
                ["ovs-vswitchd", ovs.OvsdbTarget, "--disable-system", .. ovs.DaemonOptions("ovs-vswitchd")],
                ovs._environment,
                cancellationToken: cancellationToken);
            return ovs;
        }
        catch
        {
            await ovs.StopAsync();
            throw;
        }
    }

    /// <summary>ovs-vsctl against this instance's database; waits for ovs-vswitchd to apply changes unless --no-wait is given.</summary>
    public Task<ProcessResult> VsctlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(["ovs-vsctl", "--db=" + OvsdbTarget, "--timeout=30", .. arguments], _environment, cancellationToken: cancellationToken);

    /// <summary>ovs-ofctl against this instance's switch: a bridge name resolves to OVS_RUNDIR/BRIDGE.mgmt.</summary>
    public Task<ProcessResult> OfctlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(["ovs-ofctl", .. arguments], _environment, cancellationToken: cancellationToken);

    /// <summary>The last lines of ovs-vswitchd's log, for error messages.</summary>
    public string ReadVswitchdLogTail(int lines = 30) =>
        File.Exists(VswitchdLogPath)
            ? string.Join(System.Environment.NewLine, File.ReadLines(VswitchdLogPath).TakeLast(lines))
            : "(no ovs-vswitchd log)";

    /// <summary>Stops ovs-vswitchd, then ovsdb-server: a polite exit through their control sockets, then SIGKILL by PID.</summary>
    public async Task StopAsync()
    {
        foreach (var daemon in new[] { "ovs-vswitchd", "ovsdb-server" })
        {
            var pid = ReadPid(daemon);
            if (pid is null)
            {
                continue;
            }

            await ProcessRunner.TryRunAsync(
                ["ovs-appctl", "-t", ControlSocket(daemon), "exit"], _environment, TimeSpan.FromSeconds(5));
            if (!await ExitsWithinAsync(pid.Value, TimeSpan.FromSeconds(3)))
            {
                KillQuietly(pid.Value);
                await ExitsWithinAsync(pid.Value, TimeSpan.FromSeconds(3));
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private string[] DaemonOptions(string daemon) =>
    [
        "--pidfile=" + PidFile(daemon),
        "--unixctl=" + ControlSocket(daemon),
        "--log-file=" + System.IO.Path.Combine(LogDirectory, daemon + ".log"),
        "--no-chdir",
        "--detach",
    ];

    private string PidFile(string daemon) => System.IO.Path.Combine(RunDirectory, daemon + ".pid");

    private string ControlSocket(string daemon) => System.IO.Path.Combine(RunDirectory, daemon + ".ctl");

    private int? ReadPid(string daemon) =>
        File.Exists(PidFile(daemon)) && int.TryParse(File.ReadAllText(PidFile(daemon)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>
    /// Polls /proc rather than waiting on a Process: the daemons detached, so they are not our children, and
    /// until their new parent reaps them they linger as zombies that a liveness probe still sees.
    /// </summary>
    private static async Task<bool> ExitsWithinAsync(int pid, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return true;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // /proc/PID/stat is "pid (comm) S ...": the state letter follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart()[0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }
}
