// The Linux side of plugging an endpoint: a veth pair whose host end stays in the agent's namespace and whose peer
// moves into the container's namespace, configured there with the endpoint's name, MAC, address and default route.
// Every step is written to be repeated: it checks what exists, and address and route use "replace".
using System.Security.Cryptography;
using System.Text;

namespace Patchbay.Agent.HostOs;

/// <summary>What the container-side interface gets.</summary>
public sealed record ContainerInterface(string IfName, string Mac, string Ip, int PrefixLength, string Gateway);

public static class HostNetwork
{
    /// <summary>IFNAMSIZ - 1: the longest name Linux accepts for an interface.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>The host-side veth of an endpoint: "pb" + 10 hex digits of the name's SHA-256, the same on every call.</summary>
    public static string HostInterfaceName(string endpoint) => "pb" + HashHex(endpoint);

    /// <summary>The peer's name while it is still in the agent's namespace, before it is moved and renamed.</summary>
    public static string PeerInterfaceName(string endpoint) => "pt" + HashHex(endpoint);

    /// <summary>A namespace given as a name under /run/netns or as a path (/proc/PID/ns/net).</summary>
    public static string NamespacePath(string netns)
    {
        ArgumentException.ThrowIfNullOrEmpty(netns);
        return netns.Contains('/', StringComparison.Ordinal) ? netns : Path.Combine("/run/netns", netns);
    }

    public static async Task<bool> LinkExistsAsync(string name, CancellationToken cancellationToken) =>
        (await ProcessRunner.TryRunAsync(["ip", "link", "show", "dev", name], cancellationToken: cancellationToken)).Succeeded;

    public static async Task<bool> LinkExistsInAsync(string netns, string name, CancellationToken cancellationToken) =>
        (await ProcessRunner.TryRunAsync(InNamespace(netns, ["ip", "link", "show", "dev", name]), cancellationToken: cancellationToken)).Succeeded;

    /// <summary>
    /// Makes the veth pair exist with its peer configured inside <paramref name="netns"/>. Steps already done by an earlier
    /// (possibly interrupted) call are skipped; the rest are done.
    /// </summary>
    public static async Task PlugVethAsync(string endpoint, string netns, ContainerInterface container, CancellationToken cancellationToken)
    {
        string hostSide = HostInterfaceName(endpoint);
        string peer = PeerInterfaceName(endpoint);
        if (!File.Exists(NamespacePath(netns)))
        {
            throw new HostCommandException($"network namespace '{netns}' does not exist ({NamespacePath(netns)} not found)");
        }

        if (!await LinkExistsAsync(hostSide, cancellationToken))
        {
            if (await LinkExistsAsync(peer, cancellationToken))
            {
                await ProcessRunner.RunAsync(["ip", "link", "del", "dev", peer], cancellationToken: cancellationToken);
            }

            await ProcessRunner.RunAsync(["ip", "link", "add", "name", hostSide, "type", "veth", "peer", "name", peer], cancellationToken: cancellationToken);
        }

        if (await LinkExistsAsync(peer, cancellationToken))
        {
            // iproute2 opens a value with a slash as a namespace file, and looks a bare name up under /run/netns.
            await ProcessRunner.RunAsync(["ip", "link", "set", "dev", peer, "netns", netns], cancellationToken: cancellationToken);
        }

        if (!await LinkExistsInAsync(netns, container.IfName, cancellationToken))
        {
            if (!await LinkExistsInAsync(netns, peer, cancellationToken))
            {
                throw new HostCommandException($"the peer of {hostSide} is neither '{peer}' nor '{container.IfName}' in namespace '{netns}'");
            }

            await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "link", "set", "dev", peer, "name", container.IfName]), cancellationToken: cancellationToken);
        }

        string ifName = container.IfName;
        await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "link", "set", "dev", ifName, "address", container.Mac]), cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "address", "replace", $"{container.Ip}/{container.PrefixLength}", "dev", ifName]), cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "link", "set", "dev", "lo", "up"]), cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "link", "set", "dev", ifName, "up"]), cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(InNamespace(netns, ["ip", "route", "replace", "default", "via", container.Gateway, "dev", ifName]), cancellationToken: cancellationToken);

        // The userspace datapath does not fill in checksums a veth left to offload: TCP would fail without this.
        await ProcessRunner.RunAsync(InNamespace(netns, ["ethtool", "-K", ifName, "tx", "off"]), cancellationToken: cancellationToken);
        await ProcessRunner.RunAsync(["ip", "link", "set", "dev", hostSide, "up"], cancellationToken: cancellationToken);
        await DisableTxOffloadAsync(hostSide, cancellationToken);
    }

    /// <summary>Deletes the endpoint's veth pair (both ends go together); false when there was none.</summary>
    public static async Task<bool> DeleteVethAsync(string endpoint, CancellationToken cancellationToken)
    {
        bool deleted = false;
        foreach (string name in (string[])[HostInterfaceName(endpoint), PeerInterfaceName(endpoint)])
        {
            if (await LinkExistsAsync(name, cancellationToken))
            {
                await ProcessRunner.RunAsync(["ip", "link", "del", "dev", name], cancellationToken: cancellationToken);
                deleted = true;
            }
        }

        return deleted;
    }

    public static Task DisableTxOffloadAsync(string link, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(["ethtool", "-K", link, "tx", "off"], cancellationToken: cancellationToken);

    private static string[] InNamespace(string netns, string[] command) => ["nsenter", "--net=" + NamespacePath(netns), "--", .. command];

    private static string HashHex(string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)))[..10];
    }
}
