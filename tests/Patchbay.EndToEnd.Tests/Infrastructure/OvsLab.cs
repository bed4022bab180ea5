// A one-test lab: a switch namespace running its own ovsdb-server + ovs-vswitchd, and "container"
// namespaces attached to it by veth. Every name starts with a random prefix so concurrent runs never
// collide and a leftover can be traced to its test; DisposeAsync removes everything by name and PID.
using System.Globalization;
using System.Security.Cryptography;
using Patchbay.Cli.Lab;

namespace Patchbay.EndToEnd.Tests.Infrastructure;

/// <summary>A container namespace plugged into the lab switch.</summary>
internal sealed record LabContainer(Netns Netns, string Interface, string SwitchPort, string Address, string Mac)
{
    /// <summary>The address without its prefix length, for ping targets and matches.</summary>
    public string Ip => Address.Split('/')[0];
}

internal sealed class OvsLab : IAsyncDisposable
{
    private readonly List<Netns> _containers = [];

    private OvsLab(string prefix, Netns switchNetns, OvsInstance ovs)
    {
        Prefix = prefix;
        SwitchNetns = switchNetns;
        Ovs = ovs;
    }

    public string Prefix { get; }

    public Netns SwitchNetns { get; }

    public OvsInstance Ovs { get; }

    public string Directory => LabNames.Directory(Prefix);

    /// <summary>
    /// Where our OpenFlow listener's unix socket goes: ovs-vswitchd refuses unix controller targets outside
    /// its OVS_RUNDIR ("possibility for remote exploit").
    /// </summary>
    public string ControllerSocketPath => Path.Combine(Ovs.RunDirectory, "controller.sock");

    /// <summary>
    /// Starts OVS in a fresh namespace. Throws (so the test FAILS, never skips) when not root or when
    /// OVS does not come up, with the reason and the daemon's log.
    /// </summary>
    public static async Task<OvsLab> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"end-to-end tests need root (network namespaces, OVS daemons); running as '{Environment.UserName}'. Run them through 'make test' as root.");
        }

        // 'pbt' + 6 hex digits: short enough that "<prefix>-c1" fits IFNAMSIZ.
        var prefix = LabNames.Root + "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var switchNetns = await Netns.CreateAsync(prefix + "-sw", cancellationToken);
        try
        {
            var ovs = await OvsInstance.StartAsync(switchNetns, LabNames.Directory(prefix), cancellationToken);
            return new OvsLab(prefix, switchNetns, ovs);
        }
        catch (Exception e)
        {
            await LabNames.CleanUpAsync(prefix, CancellationToken.None);
            throw new InvalidOperationException($"OVS did not start in namespace {switchNetns.Name}: {e.Message}", e);
        }
    }

    /// <summary>Creates namespace PREFIX-NAME with eth0 (address e.g. "10.0.0.1/24") wired to switch-side port PREFIX-NAME.</summary>
    public async Task<LabContainer> AddContainerAsync(string name, string address, CancellationToken cancellationToken = default)
    {
        var netns = await Netns.CreateAsync($"{Prefix}-{name}", cancellationToken);
        _containers.Add(netns);
        var switchPort = $"{Prefix}-{name}";
        await Veth.CreateAsync("eth0", netns, switchPort, SwitchNetns, cancellationToken);
        await Veth.AddAddressAsync(netns, "eth0", address, cancellationToken);
        var mac = await Veth.GetMacAsync(netns, "eth0", cancellationToken);
        return new LabContainer(netns, "eth0", switchPort, address, mac);
    }

    /// <summary>The OpenFlow port number OVS gave an interface (ofport), once ovs-vswitchd has attached it.</summary>
    public async Task<uint> GetOfPortAsync(string interfaceName, CancellationToken cancellationToken = default)
    {
        var result = await Ovs.VsctlAsync(["get", "Interface", interfaceName, "ofport"], cancellationToken);
        return uint.Parse(result.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Ovs.StopAsync();
        }
        finally
        {
            await LabNames.CleanUpAsync(Prefix);
        }
    }
}
