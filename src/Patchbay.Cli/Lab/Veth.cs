// veth pairs between lab namespaces. Both ends are created directly inside their namespaces, so the
// root namespace never holds a lab interface, not even for a moment.
using Patchbay.Agent.HostOs;

namespace Patchbay.Cli.Lab;

internal static class Veth
{
    /// <summary>
    /// Creates the pair, turns TX checksum offload off on both ends (the userspace datapath forwards
    /// packets with the checksum still unfilled otherwise, and TCP through it fails), and sets both up.
    /// </summary>
    public static async Task CreateAsync(string name, Netns netns, string peerName, Netns peerNetns, CancellationToken cancellationToken = default)
    {
        CheckName(name);
        CheckName(peerName);
        await ProcessRunner.RunAsync(
            ["ip", "link", "add", name, "netns", netns.Name, "type", "veth", "peer", "name", peerName, "netns", peerNetns.Name],
            cancellationToken: cancellationToken);
        foreach (var (ns, ifname) in new[] { (netns, name), (peerNetns, peerName) })
        {
            await ns.ExecAsync(["ethtool", "-K", ifname, "tx", "off"], cancellationToken: cancellationToken);
            await ns.ExecAsync(["ip", "link", "set", ifname, "up"], cancellationToken: cancellationToken);
        }
    }

    /// <summary>Gives an interface an address (CIDR form, e.g. 10.0.0.1/24); only ever inside a lab namespace.</summary>
    public static Task AddAddressAsync(Netns netns, string ifname, string cidr, CancellationToken cancellationToken = default) =>
        netns.ExecAsync(["ip", "address", "add", cidr, "dev", ifname], cancellationToken: cancellationToken);

    /// <summary>The interface's MAC address as the kernel reports it.</summary>
    public static async Task<string> GetMacAsync(Netns netns, string ifname, CancellationToken cancellationToken = default)
    {
        var result = await netns.ExecAsync(["cat", $"/sys/class/net/{ifname}/address"], cancellationToken: cancellationToken);
        return result.StandardOutput.Trim();
    }

    private static void CheckName(string name)
    {
        // IFNAMSIZ is 16 including the terminator.
        if (name.Length is 0 or > 15)
        {
            throw new ArgumentException($"interface name '{name}' must be 1-15 characters", nameof(name));
        }
    }
}
