// One 2x1 lab and one podman harness (storage, image, networks "pbh1"/"pbh2" on hosts h1/h2, "pbbad" without a
// network) shared by the podman tests; the root namespace's IPv4 addresses and routes are recorded before anything
// starts so a test can prove the CNI path added nothing there.
using Patchbay.EndToEnd.Tests.HotPlug;

namespace Patchbay.EndToEnd.Tests.Cni;

public sealed class CniLabFixture() : HotPlugLabFixture(2, 1, null), IAsyncLifetime
{
    private PodmanHarness? _podman;

    internal PodmanHarness Podman => _podman ?? throw new InvalidOperationException("podman is not prepared");

    public string RootNamespaceBefore { get; private set; } = string.Empty;

    public static Task<string> RootNamespaceStateAsync() => RootNamespaceState.ReadAsync();

    public new async Task InitializeAsync()
    {
        RootNamespaceBefore = await RootNamespaceState.ReadAsync();
        await base.InitializeAsync();
        try
        {
            _podman = await PodmanHarness.CreateAsync();
            foreach (string host in (string[])["h1", "h2"])
            {
                await _podman.WriteNetworkAsync("pb" + host, $"\"tenant\":\"lab\",\"network\":\"lab\",\"agentSocket\":\"{Host(host).AgentSocket}\"");
            }

            await _podman.WriteNetworkAsync("pbbad", $"\"tenant\":\"lab\",\"agentSocket\":\"{Host("h1").AgentSocket}\"");
        }
        catch
        {
            // A fixture whose start fails is not disposed by xunit: take the lab down here.
            await DisposeAsync();
            throw;
        }
    }

    public new async Task DisposeAsync()
    {
        if (_podman is not null)
        {
            await _podman.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>The root namespace's IPv4 addresses, main routing table and forwarding switch, as text to compare.</summary>
internal static class RootNamespaceState
{
    public static async Task<string> ReadAsync() =>
        (await ProcessRunner.RunAsync(["ip", "-4", "-o", "address", "show"])).StandardOutput
        + (await ProcessRunner.RunAsync(["ip", "-4", "route", "show", "table", "main"])).StandardOutput
        + await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward");
}
