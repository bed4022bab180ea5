// A bridge that our OVSDB client creates connects to our OpenFlow listener and identifies itself with
// the datapath id we configured.
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.OpenFlow.Connection;

namespace Patchbay.EndToEnd.Tests.OpenFlow;

public sealed class HandshakeTests : BridgeLabTest
{
    [Fact]
    public async Task EnsureBridgeAsync_PointedAtOurListener_HandshakeReportsConfiguredDatapathId()
    {
        using var timeout = TestTimeout.Start();
        const ulong datapathId = 0x0000_5042_0000_00a1;

        await Lab.Db.EnsureBridgeAsync(BridgeLab.Spec(datapathId, Lab.Controller.Target), timeout.Token);
        var session = await Lab.WaitForSwitchAsync(timeout.Token);

        Assert.Equal(datapathId, session.DatapathId);
        Assert.Equal(SwitchSessionState.Connected, session.State);
        // A request/reply round trip over the live session, not only the handshake.
        await session.BarrierAsync(timeout.Token);
        var show = await Lab.Host.Ovs.OfctlAsync(["-O", "OpenFlow13", "show", BridgeLab.Bridge], timeout.Token);
        Assert.Contains($"dpid:{datapathId:x16}", show.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureBridgeAsync_ControllerConnected_OvsReportsIsConnected()
    {
        using var timeout = TestTimeout.Start();
        await Lab.ConnectBridgeAsync(0x42, timeout.Token);

        // ovs-vswitchd publishes Controller status to OVSDB periodically: poll for up to 10 s.
        string isConnected = string.Empty;
        for (var attempt = 0; attempt < 50 && isConnected != "true"; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            var found = await Lab.Host.Ovs.VsctlAsync(["--no-wait", "--bare", "--columns=is_connected", "find", "Controller", $"target=\"{Lab.Controller.Target}\""], timeout.Token);
            isConnected = found.StandardOutput.Trim();
        }

        Assert.Equal("true", isConnected);
    }
}
