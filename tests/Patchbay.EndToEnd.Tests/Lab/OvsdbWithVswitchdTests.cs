// Our OVSDB client against a database that a running ovs-vswitchd is filling in: monitors see ports that
// other tools add, and interface facts (ofport, MAC, link state) come back through GetInterfaceAsync.
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.Ovsdb.Monitoring;
using Patchbay.Ovsdb.OpenVSwitch;

namespace Patchbay.EndToEnd.Tests.Lab;

public sealed class OvsdbWithVswitchdTests : BridgeLabTest
{

    private protected override async Task ArrangeAsync(CancellationToken cancellationToken) =>
        await Lab.ConnectBridgeAsync(0x5042_0000_0000_0005, cancellationToken);

    [Fact]
    public async Task MonitorAsync_PortAddedByOvsVsctl_SeesInsertedPortAndInterface()
    {
        using var timeout = TestTimeout.Start();
        var lab = Lab;
        var container = await lab.Host.AddContainerAsync("c1", "10.0.0.1/24", timeout.Token);
        await using var monitor = await lab.Ovsdb.MonitorAsync(
            OpenVSwitchDb.DatabaseName,
            [new OvsdbMonitorRequest("Port", ["name"]), new OvsdbMonitorRequest("Interface", ["name", "ofport"])],
            timeout.Token);
        Assert.DoesNotContain(monitor.Initial, u => u.New?.GetString("name") == container.SwitchPort);

        await lab.Host.Ovs.VsctlAsync(["add-port", BridgeLab.Bridge, container.SwitchPort], timeout.Token);

        var seen = new HashSet<string>();
        long? ofport = null;
        await foreach (var update in monitor.Updates.ReadAllAsync(timeout.Token))
        {
            if (update.New?.GetString("name") == container.SwitchPort)
            {
                seen.Add($"{update.Table}:{update.Change}");
                if (update.Table == "Interface" && update.New.GetOptionalInteger("ofport") is > 0 and var assigned)
                {
                    ofport = assigned;
                }
            }

            if (seen.Contains("Port:Insert") && ofport is not null)
            {
                break;
            }
        }

        Assert.Contains("Port:Insert", seen);
        Assert.Contains("Interface:Insert", seen);
        Assert.Equal(ofport, (await lab.Db.GetInterfaceAsync(container.SwitchPort, timeout.Token))!.OfPort);
    }

    [Fact]
    public async Task GetInterfaceAsync_VethAttachedByVswitchd_ReportsOfportMacAndLinkUp()
    {
        using var timeout = TestTimeout.Start();
        var lab = Lab;
        var plugged = await lab.PlugAsync("c1", "10.0.0.1/24", 9, timeout.Token);
        var switchSideMac = await Patchbay.Cli.Lab.Veth.GetMacAsync(lab.Host.SwitchNetns, plugged.Container.SwitchPort, timeout.Token);

        OvsInterface? row = null;
        for (var attempt = 0; attempt < 50 && row?.LinkState != "up"; attempt++)
        {
            row = await lab.Db.GetInterfaceAsync(plugged.Container.SwitchPort, timeout.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }

        Assert.NotNull(row);
        Assert.Equal(9, row.OfPort);
        Assert.Equal(switchSideMac, row.MacInUse);
        Assert.Equal("up", row.LinkState);
        Assert.Equal("up", row.AdminState);
    }
}
