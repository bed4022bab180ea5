// The multi-host lab behind `patchbay lab up/ls/exec/down` and `make demo`: a fabric namespace with a Linux
// bridge as the L2 underlay, per host a namespace with its own ovsdb-server and ovs-vswitchd (userspace
// datapath) and the real agent, the real controller in the root namespace on unix sockets only, and
// container namespaces plugged through the agents. Everything lives under /run/patchbay/labs/NAME and in
// namespaces named NAME-*, so `lab down` finds it all again, also after a crash.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Patchbay.Agent.HostOs;
using Patchbay.Core.Api;

namespace Patchbay.Cli.Lab;

internal sealed record LabOptions(string Name, int Hosts, int ContainersPerHost, int? IdleTimeoutSeconds);

internal sealed class HotPlugLab(TextWriter output)
{
    public const string NetworkName = "lab";
    public const string NetworkSubnet = "10.10.0.0/16";
    private const string FabricBridge = "br0";
    private const string Uplink = "uplink";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static string StateRoot => "/run/patchbay/labs";

    public static string StateDirectory(string name) => Path.Combine(StateRoot, name);

    public static string StateFile(string name) => Path.Combine(StateDirectory(name), "lab.json");

    /// <summary>Lab names become namespace and directory names: short, lowercase letters and digits.</summary>
    public static string? ValidateName(string name) =>
        name.Length is >= 1 and <= 10 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')) && char.IsAsciiLetter(name[0])
            ? null
            : $"lab name '{name}' must be 1-10 lowercase letters or digits, starting with a letter";

    public static LabState? Load(string name)
    {
        var file = StateFile(name);
        return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllText(file), LabJsonContext.Default.LabState) : null;
    }

    public async Task<LabState> UpAsync(LabOptions options, CancellationToken cancellationToken)
    {
        if (Directory.Exists(StateDirectory(options.Name)) || (await Netns.ListAsync(cancellationToken)).Any(n => n.StartsWith(options.Name + "-", StringComparison.Ordinal)))
        {
            await output.WriteLineAsync($"A lab named '{options.Name}' exists already: tearing it down first.");
            await DownAsync(options.Name, cancellationToken);
        }

        var directory = StateDirectory(options.Name);
        Directory.CreateDirectory(directory);
        var state = new LabState(options.Name, directory, options.Name + "-fab", options.Name + "-seg", Path.Combine(directory, "api.sock"), Path.Combine(directory, "controller.log"), 0, [], []);
        try
        {
            return await BuildAsync(options, state, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await output.WriteLineAsync($"lab up failed: {e.Message}");
            await output.WriteLineAsync($"Logs: {state.ControllerLog}, {directory}/h*/agent.log, {directory}/h*/ovs/log/");
            await output.WriteLineAsync("Tearing down what was created.");
            await DownAsync(options.Name, CancellationToken.None);
            throw;
        }
    }

    private async Task<LabState> BuildAsync(LabOptions options, LabState state, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"Fabric {state.FabricNetns} (bridge {FabricBridge}, segment {state.Segment}); hosts with OVS (userspace datapath) under {state.Directory}");
        var fabric = await Netns.CreateAsync(state.FabricNetns, cancellationToken);
        await DisableIpv6Async(fabric, cancellationToken);
        await fabric.ExecAsync(["ip", "link", "add", FabricBridge, "type", "bridge"], cancellationToken: cancellationToken);
        await fabric.ExecAsync(["ip", "link", "set", FabricBridge, "up"], cancellationToken: cancellationToken);

        var hosts = new List<(Netns Netns, OvsInstance Ovs, LabHost Host)>();
        for (var i = 1; i <= options.Hosts; i++)
        {
            var hostName = "h" + i.ToString(CultureInfo.InvariantCulture);
            var hostDirectory = Path.Combine(state.Directory, hostName);
            var netns = await Netns.CreateAsync($"{options.Name}-{hostName}", cancellationToken);
            await DisableIpv6Async(netns, cancellationToken);
            var ovs = await OvsInstance.StartAsync(netns, Path.Combine(hostDirectory, "ovs"), cancellationToken);
            await Veth.CreateAsync(Uplink, netns, hostName, fabric, cancellationToken);
            await fabric.ExecAsync(["ip", "link", "set", hostName, "master", FabricBridge], cancellationToken: cancellationToken);
            await netns.ExecAsync(["ip", "link", "set", Uplink, "mtu", "1500"], cancellationToken: cancellationToken);
            var host = new LabHost(
                hostName,
                netns.Name,
                "198.18.0." + i.ToString(CultureInfo.InvariantCulture),
                ovs.Directory,
                // ovs-vswitchd only connects to unix controller sockets inside its own run directory.
                Path.Combine(ovs.RunDirectory, "controller.sock"),
                Path.Combine(hostDirectory, "agent.sock"),
                Path.Combine(hostDirectory, "agent.log"),
                0);
            hosts.Add((netns, ovs, host));
        }

        // The model lives under the lab's directory, so a restarted lab controller finds its state.
        List<string> controller = [.. SelfCommand(), "controller", "--api", "unix:" + state.ApiSocket, "--data-dir", Path.Combine(state.Directory, "controller")];
        foreach (var (_, _, host) in hosts)
        {
            controller.AddRange(["--openflow", "unix:" + host.OpenFlowSocket]);
        }

        if (options.IdleTimeoutSeconds is int idle)
        {
            controller.AddRange(["--idle-timeout", idle.ToString(CultureInfo.InvariantCulture)]);
        }

        await output.WriteLineAsync($"Controller in the root namespace on unix sockets (API unix:{state.ApiSocket}), agents in the host namespaces");
        state = state with { ControllerPid = await StartDetachedAsync(controller, state.ControllerLog, cancellationToken) };
        Save(state);
        using var api = PatchbayApiClient.Create("unix:" + state.ApiSocket, TimeSpan.FromSeconds(10));
        await WaitAsync("the controller API", state.ControllerLog, async () => (await TryAsync(() => api.ListHostsAsync(cancellationToken))) is not null, cancellationToken);

        var started = new List<LabHost>();
        foreach (var (netns, ovs, host) in hosts)
        {
            var pid = await StartDetachedAsync(
                [
                    "ip", "netns", "exec", netns.Name, .. SelfCommand(), "agent",
                    "--name", host.Name,
                    "--ovsdb", ovs.OvsdbTarget,
                    "--controller-api", "unix:" + state.ApiSocket,
                    "--openflow-target", "unix:" + host.OpenFlowSocket,
                    "--uplink", Uplink,
                    "--underlay-ip", host.UnderlayIp,
                    "--segment", state.Segment,
                    "--socket", host.AgentSocket,
                ],
                host.AgentLog,
                cancellationToken);
            started.Add(host with { AgentPid = pid });
            state = state with { Hosts = [.. started] };
            Save(state);
        }

        await WaitAsync(
            "every host Connected",
            state.ControllerLog,
            async () => await TryAsync(() => api.ListHostsAsync(cancellationToken)) is { } views
                && started.All(h => views.Any(v => v.Name == h.Name && string.Equals(v.State, "Connected", StringComparison.OrdinalIgnoreCase))),
            cancellationToken);

        await output.WriteLineAsync($"Every host Connected; network '{NetworkName}' {NetworkSubnet}, containers plugged through the agents");
        await api.CreateTenantAsync(new TenantCreate("lab"), cancellationToken);
        await api.CreateNetworkAsync(new NetworkCreate(NetworkName, "lab", NetworkSubnet), cancellationToken);

        var containers = new List<LabEndpoint>();
        var number = 0;
        foreach (var host in started)
        {
            using var agent = AgentApiClient.Create(host.AgentSocket, TimeSpan.FromSeconds(30));
            await WaitAsync($"the agent of {host.Name}", host.AgentLog, () => agent.IsHealthyAsync(cancellationToken), cancellationToken);
            for (var k = 0; k < options.ContainersPerHost; k++)
            {
                var containerName = "c" + (++number).ToString(CultureInfo.InvariantCulture);
                var netns = await Netns.CreateAsync($"{options.Name}-{containerName}", cancellationToken);
                await DisableIpv6Async(netns, cancellationToken);
                var plugged = await agent.PlugAsync(new PlugRequest(containerName, NetworkName, netns.Name, "eth0"), cancellationToken);
                containers.Add(new LabEndpoint(containerName, host.Name, netns.Name, plugged.Endpoint.Ip, plugged.Endpoint.Mac, plugged.OvsPort));
                state = state with { Containers = [.. containers] };
                Save(state);
            }
        }

        await WaitAsync(
            "every endpoint with its port",
            state.ControllerLog,
            async () => await TryAsync(() => api.ListEndpointsAsync(cancellationToken: cancellationToken)) is { } endpoints
                && containers.All(c => endpoints.Any(e => e.Name == c.Name && e.OvsPort is not null)),
            cancellationToken);
        return state;
    }

    /// <summary>Removes the lab: its processes (by PID file, recorded PID and /proc scan for the state directory), namespaces, directory.</summary>
    public async Task<bool> DownAsync(string name, CancellationToken cancellationToken)
    {
        var directory = StateDirectory(name);
        var marker = directory + "/";
        var state = File.Exists(StateFile(name)) ? TryLoad(name) : null;
        var killed = new List<int>();
        var recorded = state is null ? [] : new[] { state.ControllerPid }.Concat(state.Hosts.Select(h => h.AgentPid));
        var pidFiles = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.pid", SearchOption.AllDirectories).Select(ReadPid).OfType<int>()
            : [];
        foreach (var pid in recorded.Concat(pidFiles).Concat(ProcessesMentioning(marker)).Distinct())
        {
            if (pid > 0 && pid != Environment.ProcessId && CommandLine(pid)?.Contains(marker, StringComparison.Ordinal) == true && Kill(pid))
            {
                killed.Add(pid);
            }
        }

        var namespaces = await Netns.DeleteByPrefixAsync(name + "-", cancellationToken);
        var existed = Directory.Exists(directory);
        if (existed)
        {
            Directory.Delete(directory, recursive: true);
        }

        if (killed.Count == 0 && namespaces.Count == 0 && !existed)
        {
            await output.WriteLineAsync($"No lab named '{name}': nothing to remove.");
            return false;
        }

        await output.WriteLineAsync($"Lab '{name}' removed: {killed.Count} processes, {namespaces.Count} namespaces ({string.Join(", ", namespaces)}), {directory}.");
        return true;
    }

    public static void Save(LabState state) =>
        File.WriteAllText(StateFile(state.Name), JsonSerializer.Serialize(state, LabJsonContext.Default.LabState));

    /// <summary>The command that runs this same executable: the apphost, or `dotnet patchbay.dll`.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        return string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.Ordinal)
            ? [path, Path.Combine(AppContext.BaseDirectory, "patchbay.dll")]
            : [path];
    }

    private static LabState? TryLoad(string name)
    {
        try
        {
            return Load(name);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Starts the command in its own session, detached from us, output to the log; returns its PID.</summary>
    private static async Task<int> StartDetachedAsync(IReadOnlyList<string> command, string logPath, CancellationToken cancellationToken)
    {
        // In a non-interactive shell the background child is no process-group leader, so setsid execs without forking: $! is the daemon.
        var result = await ProcessRunner.RunAsync(
            ["sh", "-c", "log=$1; shift; setsid \"$@\" >\"$log\" 2>&1 </dev/null & echo $!", "sh", logPath, .. command],
            cancellationToken: cancellationToken);
        return int.Parse(result.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The pipeline forwards IPv4 and ARP only: IPv6 router and neighbour solicitations from containers, the bridge's
    /// internal port and the uplinks would only inflate the drop counters (port-security, unclassified).
    /// </summary>
    private static async Task DisableIpv6Async(Netns netns, CancellationToken cancellationToken)
    {
        await netns.ExecAsync(["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"], cancellationToken: cancellationToken);
        await netns.ExecAsync(["sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"], cancellationToken: cancellationToken);
    }

    private static async Task WaitAsync(string what, string log, Func<Task<bool>> ready, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!await ready())
        {
            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"timed out after {ReadyTimeout.TotalSeconds} s waiting for {what} (see {log})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (PatchbayApiException)
        {
            return null;
        }
    }

    private static IEnumerable<int> ProcessesMentioning(string marker)
    {
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && CommandLine(pid)?.Contains(marker, StringComparison.Ordinal) == true)
            {
                yield return pid;
            }
        }
    }

    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? ReadPid(string file) =>
        int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static bool Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
