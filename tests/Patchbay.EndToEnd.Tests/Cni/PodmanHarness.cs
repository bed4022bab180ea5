// Podman as the CNI client, kept to a temporary directory: its own storage (vfs) and run root, a containers.conf
// (runc, CNI backend, the plugin directory with patchbay-cni installed as "patchbay", the network config directory)
// and a busybox-static image built and imported here. Dispose removes containers, image and every file.
using System.Security.Cryptography;

namespace Patchbay.EndToEnd.Tests.Cni;

internal sealed class PodmanHarness : IAsyncDisposable
{
    public const string Image = "localhost/pbcni-busybox:latest";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private PodmanHarness(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string PluginDirectory => Path.Combine(Directory, "cni-bin");

    public string NetworkConfigDirectory => Path.Combine(Directory, "net.d");

    /// <summary>The executable a runtime would run for type "patchbay".</summary>
    public string Plugin => Path.Combine(PluginDirectory, "patchbay");

    public static async Task<PodmanHarness> CreateAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "pbcni-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var harness = new PodmanHarness(directory);
        try
        {
            await harness.PrepareAsync();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>A conflist named <paramref name="name"/> with one patchbay plugin whose fields are <paramref name="pluginFields"/> (JSON members).</summary>
    public Task WriteNetworkAsync(string name, string pluginFields) =>
        File.WriteAllTextAsync(
            Path.Combine(NetworkConfigDirectory, name + ".conflist"),
            $$"""{"cniVersion":"1.0.0","name":"{{name}}","plugins":[{"type":"patchbay",{{pluginFields}}}]}""");

    public Task<ProcessResult> PodmanAsync(IReadOnlyList<string> arguments, TimeSpan? timeout = null) =>
        ProcessRunner.TryRunAsync(
            ["podman", "--root", Path.Combine(Directory, "storage"), "--runroot", Path.Combine(Directory, "run"), "--storage-driver", "vfs", .. arguments],
            new Dictionary<string, string> { ["CONTAINERS_CONF"] = Path.Combine(Directory, "containers.conf") },
            timeout ?? CommandTimeout);

    /// <summary>Runs the plugin as a runtime does: the CNI_* variables, the configuration in a file fed to stdin.</summary>
    public async Task<ProcessResult> PluginAsync(IReadOnlyDictionary<string, string> environment, string config)
    {
        string file = Path.Combine(Directory, "tmp", "config-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".json");
        await File.WriteAllTextAsync(file, config);
        return await ProcessRunner.TryRunAsync(["sh", "-c", "exec \"$0\" < \"$1\"", Plugin, file], environment, CommandTimeout);
    }

    /// <summary>podman run -d of a sleeping busybox on <paramref name="network"/>; its full container id.</summary>
    public async Task<string> RunAsync(string name, string network)
    {
        ProcessResult run = await PodmanAsync(["run", "-d", "--name", name, "--network", network, Image, "/bin/sleep", "600"]);
        Assert.True(run.Succeeded, $"podman run {name} failed ({run.ExitCode}): {run.StandardError}");
        return run.StandardOutput.Trim();
    }

    public async Task<string> InspectAsync(string container, string format)
    {
        ProcessResult inspect = await PodmanAsync(["inspect", container, "--format", format]);
        Assert.True(inspect.Succeeded, $"podman inspect {container} failed: {inspect.StandardError}");
        return inspect.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Directory, "containers.conf")))
        {
            await PodmanAsync(["rm", "--all", "--force", "--time", "0"]);
            await PodmanAsync(["rmi", "--all", "--force"]);
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task PrepareAsync()
    {
        foreach (string sub in (string[])["cni-bin", "net.d", "tmp", "rootfs/bin", "rootfs/etc", "rootfs/proc", "rootfs/sys", "rootfs/dev", "rootfs/tmp"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }

        string pluginDll = Path.Combine(AppContext.BaseDirectory, "patchbay-cni.dll");
        await File.WriteAllTextAsync(Plugin, $"#!/bin/sh\nexec dotnet '{pluginDll}' \"$@\"\n");
        await ProcessRunner.RunAsync(["chmod", "755", Plugin]);
        await File.WriteAllTextAsync(Path.Combine(Directory, "containers.conf"), $"""
            [containers]
            default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

            [network]
            network_backend = "cni"
            cni_plugin_dirs = ["{PluginDirectory}", "/usr/lib/cni"]
            network_config_dir = "{NetworkConfigDirectory}"

            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            tmp_dir = "{Path.Combine(Directory, "tmp")}"

            """);

        // The image: busybox-static's /bin/busybox and the applets the tests use, nothing else.
        string rootfs = Path.Combine(Directory, "rootfs");
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (string applet in (string[])["sh", "sleep", "ping", "ip", "true"])
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        string tar = Path.Combine(Directory, "rootfs.tar");
        await ProcessRunner.RunAsync(["tar", "-C", rootfs, "-cf", tar, "."]);
        ProcessResult import = await PodmanAsync(["import", tar, Image]);
        Assert.True(import.Succeeded, $"podman import failed ({import.ExitCode}): {import.StandardError}");
    }
}
