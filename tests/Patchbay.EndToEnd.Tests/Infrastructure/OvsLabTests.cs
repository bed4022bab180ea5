// Proves the lab plumbing itself: OVS comes up inside its namespace, answers, and leaves nothing behind.
using Patchbay.Cli.Lab;

namespace Patchbay.EndToEnd.Tests.Infrastructure;

public sealed class OvsLabTests
{
    [Fact]
    public async Task StartAsync_FreshNamespace_OvsAnswersAndDisposeRemovesEverything()
    {
        var lab = await OvsLab.StartAsync();
        string prefix = lab.Prefix;
        try
        {
            await lab.Ovs.VsctlAsync(["add-br", "pb0", "--", "set", "Bridge", "pb0", "datapath_type=netdev"]);
            var show = await lab.Ovs.OfctlAsync(["-O", "OpenFlow13", "show", "pb0"]);
            Assert.Contains("OFPT_FEATURES_REPLY", show.StandardOutput, StringComparison.Ordinal);
            // The bridge's internal port is a tap device inside the switch namespace, not in the root namespace.
            Assert.True((await lab.SwitchNetns.TryExecAsync(["ip", "link", "show", "pb0"])).Succeeded);
            Assert.False((await ProcessRunner.TryRunAsync(["ip", "link", "show", "pb0"])).Succeeded);
        }
        finally
        {
            await lab.DisposeAsync();
        }

        Assert.DoesNotContain((await Netns.ListAsync()), n => n.StartsWith(prefix, StringComparison.Ordinal));
        Assert.False(Directory.Exists(LabNames.Directory(prefix)));
    }

    [Fact]
    public async Task AddContainerAsync_TwoContainersOnNormalBridge_PingEachOther()
    {
        await using var lab = await OvsLab.StartAsync();
        var c1 = await lab.AddContainerAsync("c1", "10.0.0.1/24");
        var c2 = await lab.AddContainerAsync("c2", "10.0.0.2/24");
        // Standalone fail mode with no controller: OVS acts as a learning switch, so the wiring alone is proved.
        await lab.Ovs.VsctlAsync(["add-br", "pb0", "--", "set", "Bridge", "pb0", "datapath_type=netdev", "fail_mode=standalone"]);
        await lab.Ovs.VsctlAsync(["add-port", "pb0", c1.SwitchPort]);
        await lab.Ovs.VsctlAsync(["add-port", "pb0", c2.SwitchPort]);

        Assert.True(await c1.Netns.PingAsync(c2.Ip), "c1 cannot ping c2 through a NORMAL bridge: " + lab.Ovs.ReadVswitchdLogTail());
    }
}
