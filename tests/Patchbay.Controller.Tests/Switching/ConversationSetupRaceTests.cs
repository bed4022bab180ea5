// A conversation ended (policy change, endpoint delete) while it is still being set up, over simulated switches:
// the destination switch holds its barrier reply, the end runs while the setup waits for it, then the reply is
// released. The setup must not leave its flows forwarding nor send its first packet on.
using Microsoft.Extensions.DependencyInjection;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.Core.Planning;
using Patchbay.Core.Policy;
using Patchbay.Core.Simulation;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class ConversationSetupRaceTests : IAsyncLifetime
{
    private const uint Uplink = 1;
    private const uint Port = 2;

    private ControllerHarness _controller = null!;
    private SimulatedSwitch _h1 = null!;
    private SimulatedSwitch _h2 = null!;

    public async Task InitializeAsync()
    {
        _controller = await ControllerHarness.StartAsync();
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1, Uplink);
        await _controller.RegisterHostAsync("h2", 2, Uplink);
        _h1 = await _controller.ConnectSwitchAsync(1);
        _h2 = await _controller.ConnectSwitchAsync(2);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.WaitForHostStateAsync("h2", "connected");
    }

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task EndAsync_WhileSetupAwaitsItsBarrier_FlowsDeletedOnBothSwitchesAndFirstPacketNotSentOn()
    {
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        await _controller.CreateEndpointAsync("b", "blue", "h2");
        EndpointView a = await _controller.SetPortAsync("a", Port);
        EndpointView b = await _controller.SetPortAsync("b", Port);
        ConversationTracker tracker = _controller.App.Services.GetRequiredService<ConversationTracker>();
        long mark = Math.Max(_h1.Messages[^1].Sequence, _h2.Messages[^1].Sequence);
        _h2.HoldBarrierReplies();

        await _h1.InjectAsync(Port, Ping(a, b));

        // The destination's flows are in and the setup waits for their barrier: end it now.
        await _h2.WaitForAsync(r => r.Sequence > mark && r.Message is BarrierRequest);
        LiveDecision decision = Assert.Single(tracker.LiveDecisions());
        Assert.Equal(PolicyVerdict.Allow, decision.Verdict);
        ulong cookie = Cookies.Of(FlowKind.Conversation, decision.Id);
        Assert.True(await tracker.EndAsync(decision.Id, "test", CancellationToken.None));
        await _h1.WaitForAsync(r => r.Message is FlowMod { Command: FlowModCommand.Delete } f && f.Cookie == cookie);
        Received endDelete = await _h2.WaitForAsync(r => r.Message is FlowMod { Command: FlowModCommand.Delete } f && f.Cookie == cookie);
        Assert.Equal(0, _h2.WithModel(m => m.DumpFlows().Count(f => f.Cookie == cookie)));
        long ended = Math.Max(_h1.Messages[^1].Sequence, endDelete.Sequence);

        await _h2.ReleaseBarrierRepliesAsync();

        // The setup goes on to the source switch; what it does after that barrier decides the outcome.
        Received afterSource = await _h1.WaitForAsync(r => r.Sequence > ended
            && (r.Message is PacketOut { InPort: Port } || r.Message is FlowMod { Command: FlowModCommand.Delete }));
        Assert.IsType<FlowMod>(afterSource.Message);
        Assert.Equal(cookie, ((FlowMod)afterSource.Message).Cookie);
        // Deleted again on the destination too: after the end's delete (the two switches' messages arrive on their own
        // connections, so this one may be recorded before h1's).
        await _h2.WaitForAsync(r => r.Sequence > ended && r.Message is FlowMod { Command: FlowModCommand.Delete } f && f.Cookie == cookie);

        Assert.Contains(_h1.Messages, r => r.Sequence > ended && r.Message is FlowMod { Command: FlowModCommand.Add } f && f.Cookie == cookie);
        foreach (SimulatedSwitch simulated in new[] { _h1, _h2 })
        {
            Assert.DoesNotContain(simulated.WithModel(m => m.DumpFlows()), f => f.Cookie == cookie);
        }

        Assert.DoesNotContain(_h1.Messages, r => r.Sequence > mark && r.Message is PacketOut);
        PipelineResult next = _h1.WithModel(m => m.Evaluate(Port, Ping(a, b)));
        Assert.Empty(next.Forwarded);
        Assert.NotEmpty(next.ToController);
        Assert.Empty(tracker.LiveDecisions());
    }

    private static byte[] Ping(EndpointView source, EndpointView destination) =>
        FrameBuilder.IcmpEcho(new FrameAddresses(MacAddress.Parse(source.Mac), MacAddress.Parse(destination.Mac), Ipv4Address.Parse(source.Ip), Ipv4Address.Parse(destination.Ip)), 7, 1, "ping"u8);
}
