// One real `patchbay lab up` per test class (controller, agents, OVS per host, containers), driven through the
// CLI exactly as a user would, and removed again with `patchbay lab down` however the tests ended.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Patchbay.Cli.Lab;
using Patchbay.Core.Api;

namespace Patchbay.EndToEnd.Tests.HotPlug;

public abstract class HotPlugLabFixture : IAsyncLifetime
{
    private readonly int _hosts;
    private readonly int _containersPerHost;
    private readonly int? _idleTimeout;
    private LabState? _state;

    protected HotPlugLabFixture(int hosts, int containersPerHost, int? idleTimeout)
    {
        _hosts = hosts;
        _containersPerHost = containersPerHost;
        _idleTimeout = idleTimeout;
        // Lab names are at most 10 characters: "pbh" and 6 random hex digits.
        Name = "pbh" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    }

    public string Name { get; }

    internal LabState State => _state ?? throw new InvalidOperationException("the lab is not up");

    public string ApiSpec => "unix:" + State.ApiSocket;

    public static string Patchbay => Path.Combine(AppContext.BaseDirectory, "patchbay");

    public async Task InitializeAsync()
    {
        List<string> up = [Patchbay, "lab", "up", "--name", Name, "--hosts", Str(_hosts), "--containers-per-host", Str(_containersPerHost)];
        if (_idleTimeout is int idle)
        {
            up.AddRange(["--idle-timeout", Str(idle)]);
        }

        var result = await ProcessRunner.TryRunAsync(up, timeout: TimeSpan.FromSeconds(180));
        if (!result.Succeeded)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"lab up failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        }

        _state = HotPlugLab.Load(Name) ?? throw new InvalidOperationException("lab up wrote no lab.json");
    }

    public async Task DisposeAsync() =>
        await ProcessRunner.TryRunAsync([Patchbay, "lab", "down", "--name", Name], timeout: TimeSpan.FromSeconds(120));

    internal LabEndpoint Container(string name) => State.Containers.Single(c => c.Name == name);

    internal LabHost Host(string name) => State.Hosts.Single(h => h.Name == name);

    /// <summary>Runs a command in a container's namespace and returns however it exited.</summary>
    public Task<ProcessResult> ExecAsync(string container, IReadOnlyList<string> command, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ProcessRunner.TryRunAsync(["ip", "netns", "exec", Container(container).Netns, .. command], timeout: timeout, cancellationToken: cancellationToken);

    /// <summary>ovs-ofctl dump-flows of a host's bridge through its management socket.</summary>
    public async Task<string> DumpFlowsAsync(string host, CancellationToken cancellationToken = default) =>
        (await ProcessRunner.RunAsync(["ovs-ofctl", "-O", "OpenFlow13", "dump-flows", "unix:" + Path.Combine(Host(host).OvsDirectory, "run", "pb0.mgmt")], cancellationToken: cancellationToken)).StandardOutput;

    /// <summary>ovs-ofctl add-flow (OpenFlow 1.3) on a host's bridge through its management socket.</summary>
    public Task AddFlowAsync(string host, string flow, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(["ovs-ofctl", "-O", "OpenFlow13", "add-flow", "unix:" + Path.Combine(Host(host).OvsDirectory, "run", "pb0.mgmt"), flow], cancellationToken: cancellationToken);

    /// <summary>ovs-vsctl against a host's ovsdb-server; its output, trimmed.</summary>
    public async Task<string> VsctlAsync(string host, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        (await ProcessRunner.RunAsync(["ovs-vsctl", "--db=unix:" + Path.Combine(Host(host).OvsDirectory, "run", "db.sock"), .. arguments], cancellationToken: cancellationToken)).StandardOutput.Trim();

    /// <summary>
    /// kill -9 of the lab's controller, then <paramref name="whileDown"/>, then the same command line again, plus
    /// <paramref name="addArguments"/> (its model is under the lab directory, its log appended to); lab.json gets the new
    /// PID. The clock starts with the new process.
    /// </summary>
    internal async Task<Stopwatch> KillAndRestartControllerAsync(Func<Task> whileDown, CancellationToken cancellationToken, IReadOnlyList<string>? addArguments = null)
    {
        var pid = State.ControllerPid;
        string[] commandLine = [.. (await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries), .. addArguments ?? []];
        using (var controller = Process.GetProcessById(pid))
        {
            controller.Kill();
            await controller.WaitForExitAsync(cancellationToken);
        }

        await whileDown();
        var started = await ProcessRunner.RunAsync(
            ["sh", "-c", "log=$1; shift; setsid \"$@\" >>\"$log\" 2>&1 </dev/null & echo $!", "sh", State.ControllerLog, .. commandLine],
            cancellationToken: cancellationToken);
        var clock = Stopwatch.StartNew();
        _state = State with { ControllerPid = int.Parse(started.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture) };
        HotPlugLab.Save(_state);
        return clock;
    }

    /// <summary>How dump-flows prints a cookie: "cookie=0x…," in lowercase hex without leading zeros.</summary>
    public static string CookieText(string cookie) =>
        "cookie=0x" + ulong.Parse(cookie.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture) + ",";

    public PatchbayApiClient Api() => PatchbayApiClient.Create(ApiSpec, TimeSpan.FromSeconds(30));

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>3 hosts x 2 containers with the default idle timeout.</summary>
public sealed class ForwardingLabFixture() : HotPlugLabFixture(3, 2, null);

/// <summary>2 hosts x 2 containers with a 3 s idle timeout, for expiry.</summary>
public sealed class ExpiryLabFixture() : HotPlugLabFixture(2, 2, 3);
