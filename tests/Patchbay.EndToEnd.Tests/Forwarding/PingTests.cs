// Two container namespaces on a fail-secure bridge reach each other only while the forwarding flows we
// sent are installed: proof that our FLOW_MODs, not OVS defaults, carry the traffic.
using Patchbay.EndToEnd.Tests.Infrastructure;
using Patchbay.OpenFlow.Actions;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Instructions;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;

namespace Patchbay.EndToEnd.Tests.Forwarding;

public sealed class PingTests : BridgeLabTest
{
    private const ulong ForwardingCookie = 0x5042_0000_0000_0f0f;
    private SwitchSession? _session;
    private PluggedContainer? _c1;
    private PluggedContainer? _c2;

    private protected override async Task ArrangeAsync(CancellationToken cancellationToken)
    {
        _session = await Lab.ConnectBridgeAsync(0x5042_0000_0000_0003, cancellationToken);
        _c1 = await Lab.PlugAsync("c1", "10.0.0.1/24", 1, cancellationToken);
        _c2 = await Lab.PlugAsync("c2", "10.0.0.2/24", 2, cancellationToken);
    }

    [Fact]
    public async Task Ping_ForwardingFlowsAddedThenDeleted_WorksOnlyWhileInstalled()
    {
        using var timeout = TestTimeout.Start(60);
        var (session, c1, c2) = (_session!, _c1!, _c2!);

        Assert.False(await c1.Container.Netns.PingAsync(c2.Container.Ip, timeout.Token), "ping went through a fail-secure bridge with no flows");

        await session.SendAsync(Forward(c1.OfPort, c2.OfPort), timeout.Token);
        await session.SendAsync(Forward(c2.OfPort, c1.OfPort), timeout.Token);
        await session.BarrierAsync(timeout.Token);
        Assert.True(await PingWithRetriesAsync(c1, c2, timeout.Token), "c1 cannot ping c2 with our forwarding flows installed: " + string.Join(" | ", await Lab.DumpFlowsAsync(timeout.Token)));

        await session.SendAsync(
            new FlowMod { Command = FlowModCommand.Delete, TableId = OfpTableId.All, Cookie = ForwardingCookie, CookieMask = ulong.MaxValue },
            timeout.Token);
        await session.BarrierAsync(timeout.Token);
        Assert.Empty(await Lab.DumpFlowsAsync(timeout.Token));
        Assert.False(await c1.Container.Netns.PingAsync(c2.Container.Ip, timeout.Token), "ping still works after our flows were deleted");
    }

    private static FlowMod Forward(uint from, uint to) => new()
    {
        Cookie = ForwardingCookie,
        Priority = 100,
        Match = new OfpMatch([Oxm.InPort(from)]),
        Instructions = [new ApplyActionsInstruction([new OutputAction(to, 0)])],
    };

    // The first echo may be spent on ARP resolution through the freshly installed flows.
    private static async Task<bool> PingWithRetriesAsync(PluggedContainer from, PluggedContainer to, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await from.Container.Netns.PingAsync(to.Container.Ip, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }
}
