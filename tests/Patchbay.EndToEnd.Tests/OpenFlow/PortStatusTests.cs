// Ports added through our OVSDB client are announced to our listener as OFPT_PORT_STATUS (OFPPR_ADD)
// carrying the port number and name OVS reports in OVSDB.
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.EndToEnd.Tests.OpenFlow;

public sealed class PortStatusTests : BridgeLabTest
{

    private protected override async Task ArrangeAsync(CancellationToken cancellationToken) =>
        await Lab.ConnectBridgeAsync(0x5042_0000_0000_0004, cancellationToken);

    [Fact]
    public async Task AddPortAsync_ConnectedSwitch_PortStatusAddArrivesWithOvsdbOfport()
    {
        using var timeout = TestTimeout.Start();
        var lab = Lab;

        var plugged = await lab.PlugAsync("c1", "10.0.0.1/24", 7, timeout.Token);
        var status = await lab.Controller.WaitForMessageAsync<PortStatus>(
            m => m.Reason == PortReason.Add && m.Desc.Name == plugged.Container.SwitchPort,
            timeout.Token);

        Assert.Equal(7u, plugged.OfPort);
        Assert.Equal(plugged.OfPort, status.Desc.PortNo);
        var ovsdbRow = await lab.Db.GetInterfaceAsync(plugged.Container.SwitchPort, timeout.Token);
        Assert.Equal(ovsdbRow!.MacInUse, string.Join(':', status.Desc.HwAddr.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task RemovePortAsync_ConnectedSwitch_PortStatusDeleteArrives()
    {
        using var timeout = TestTimeout.Start();
        var lab = Lab;
        var plugged = await lab.PlugAsync("c1", "10.0.0.1/24", 3, timeout.Token);

        Assert.True(await lab.Db.RemovePortAsync(BridgeLab.Bridge, plugged.Container.SwitchPort, timeout.Token));
        var status = await lab.Controller.WaitForMessageAsync<PortStatus>(
            m => m.Reason == PortReason.Delete && m.Desc.Name == plugged.Container.SwitchPort,
            timeout.Token);

        Assert.Equal(3u, status.Desc.PortNo);
    }
}
