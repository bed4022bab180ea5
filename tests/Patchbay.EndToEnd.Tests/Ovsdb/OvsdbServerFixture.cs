// A real ovsdb-server with a fresh Open_vSwitch database on a unix socket in a temp directory: no namespace, no
// networking, no ovs-vswitchd. Killed by its PID and its directory removed when the test class is done.
using System.Diagnostics;
using System.Net.Sockets;
using Patchbay.Ovsdb;

namespace Patchbay.EndToEnd.Tests.Ovsdb;

public sealed class OvsdbServerFixture : IAsyncLifetime
{
    private const string SchemaPath = "/usr/share/openvswitch/vswitch.ovsschema";
    private Process? _server;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "pb-ovsdb-" + Guid.NewGuid().ToString("N")[..8]);

    public string SocketPath => Path.Combine(Directory, "db.sock");

    public OvsdbEndpoint Endpoint => OvsdbEndpoint.Unix(SocketPath);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string db = Path.Combine(Directory, "conf.db");
        await RunAsync("ovsdb-tool", "create", db, SchemaPath);
        _server = Process.Start(new ProcessStartInfo("ovsdb-server")
        {
            ArgumentList =
            {
                db,
                "--remote=punix:" + SocketPath,
                "--pidfile=" + Path.Combine(Directory, "ovsdb-server.pid"),
                "--unixctl=" + Path.Combine(Directory, "ovsdb-server.ctl"),
                "--log-file=" + Path.Combine(Directory, "ovsdb-server.log"),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("ovsdb-server did not start");
        await WaitForSocketAsync();
        await VsctlAsync("init");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            if (!_server.HasExited)
            {
                _server.Kill();
                await _server.WaitForExitAsync();
            }

            _server.Dispose();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public Task<OvsdbClient> ConnectAsync() => OvsdbClient.ConnectAsync(Endpoint);

    /// <summary>Runs ovs-vsctl against this server without waiting for an ovs-vswitchd that is not there.</summary>
    public Task<string> VsctlAsync(params string[] arguments) =>
        RunAsync("ovs-vsctl", ["--db=unix:" + SocketPath, "--no-wait", "--timeout=10", .. arguments]);

    public static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}");
        }

        return (await stdout).Trim();
    }

    private async Task WaitForSocketAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_server!.HasExited)
            {
                string log = File.Exists(Path.Combine(Directory, "ovsdb-server.log")) ? await File.ReadAllTextAsync(Path.Combine(Directory, "ovsdb-server.log")) : string.Empty;
                throw new InvalidOperationException($"ovsdb-server exited with {_server.ExitCode}: {await _server.StandardError.ReadToEndAsync()} {log}");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
                    return;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    // Bound but not yet listening.
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"ovsdb-server did not listen on {SocketPath} within 10 s");
            }

            await Task.Delay(20);
        }
    }
}
