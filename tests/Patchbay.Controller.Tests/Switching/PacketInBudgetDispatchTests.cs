// The PACKET_IN budget where the controller dispatches a switch's messages: over budget, a PACKET_IN is discarded
// before it is handled (no ARP answer, no conversation) and counted as a `packet-in-budget` drop of its host; the
// other ports of the host and the other hosts keep their own share; other message types are never held back.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Patchbay.Controller.Switching;
using Patchbay.Core.Api;
using Patchbay.OpenFlow.Messages;
using Patchbay.Packets;

namespace Patchbay.Controller.Tests.Switching;

public sealed class PacketInBudgetDispatchTests : IAsyncLifetime
{
    // The clock never moves: no refill, so every count below is exact.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private ControllerHarness _controller = null!;

    public async Task InitializeAsync() =>
        _controller = await ControllerHarness.StartAsync(services: s => s.AddSingleton(new PacketInBudget(new PacketInBudgetOptions { RatePps = 1, Burst = 6 }, _time)));

    public async Task DisposeAsync() => await _controller.DisposeAsync();

    [Fact]
    public async Task PacketIn_OverBudget_DiscardedUnhandledAndCountedOtherHostServed()
    {
        (SimulatedSwitch h1, SimulatedSwitch h2, EndpointView a, EndpointView b, _) = await HostsAsync();
        byte[] request = ArpPacket.BuildRequest(Mac(a), Ip(a), Ip(b));

        // Alone on its host, a's share of the burst is 6 / 2 = 3.
        for (int i = 0; i < 10; i++)
        {
            Assert.Single((await h1.InjectAsync(2, request)).ToController);
        }

        DropView drop = await BudgetDropAsync("h1", 7);
        Assert.Equal(7UL * (ulong)request.Length, drop.Bytes);

        // The third PACKET_OUT was queued before the drops were counted, but may reach h1 after the counters do.
        await ControllerHarness.EventuallyAsync(() => Task.FromResult(h1.Messages.Count(r => r.Message is PacketOut) >= 3), "three PACKET_OUTs at h1");
        Assert.Equal(3, h1.Messages.Count(r => r.Message is PacketOut));

        await h2.InjectAsync(2, ArpPacket.BuildRequest(Mac(b), Ip(b), Ip(a)));
        await h2.WaitForAsync<PacketOut>();
        Assert.DoesNotContain(await DropsAsync(), d => d is { Host: "h2", Reason: SwitchManager.PacketInBudgetDrop });
    }

    [Fact]
    public async Task PacketIn_OnePortFloods_AnotherPortOfTheSameHostStillServed()
    {
        (SimulatedSwitch h1, _, EndpointView a, EndpointView b, EndpointView c) = await HostsAsync();
        for (int i = 0; i < 20; i++)
        {
            await h1.InjectAsync(2, ArpPacket.BuildRequest(Mac(a), Ip(a), Ip(b)));
        }

        await BudgetDropAsync("h1", 17);

        await h1.InjectAsync(3, ArpPacket.BuildRequest(Mac(c), Ip(c), Ip(b)));

        Received answer = await h1.WaitForAsync<PacketOut>(p => p.Actions.SequenceEqual([new OpenFlow.Actions.OutputAction(3)]));
        Assert.Equal(3u, Assert.Single(answer.PacketOutResult!.Forwarded).Port);
        Assert.Equal(17UL, (await BudgetDropAsync("h1", 17)).Packets);
    }

    [Fact]
    public async Task FlowRemoved_WhileOverBudget_StillEndsTheConversation()
    {
        (SimulatedSwitch h1, _, EndpointView a, EndpointView b, _) = await HostsAsync();
        await h1.InjectAsync(2, FrameBuilder.IcmpEcho(new FrameAddresses(Mac(a), Mac(b), Ip(a), Ip(b)), 7, 1, "hello"u8));
        await h1.WaitForAsync<PacketOut>();
        for (int i = 0; i < 10; i++)
        {
            await h1.InjectAsync(2, ArpPacket.BuildRequest(Mac(a), Ip(a), Ip(b)));
        }

        await BudgetDropAsync("h1", 8);

        IReadOnlyList<FlowRemoved> expired = await h1.ExpireAsync(TimeSpan.FromMinutes(1));

        Assert.NotEmpty(expired);
        await ControllerHarness.EventuallyAsync(
            async () => (await _controller.GetAsync<ListResponse<ConversationView>>("/v1/conversations?state=ended")).Items.Count == 1,
            "the conversation ended on its FLOW_REMOVED");
    }

    private async Task<(SimulatedSwitch H1, SimulatedSwitch H2, EndpointView A, EndpointView B, EndpointView C)> HostsAsync()
    {
        await _controller.CreateNetworkAsync("blue");
        await _controller.RegisterHostAsync("h1", 1);
        await _controller.RegisterHostAsync("h2", 2);
        await _controller.CreateEndpointAsync("a", "blue", "h1");
        await _controller.CreateEndpointAsync("c", "blue", "h1");
        await _controller.CreateEndpointAsync("b", "blue", "h2");
        EndpointView a = await _controller.SetPortAsync("a", 2);
        EndpointView c = await _controller.SetPortAsync("c", 3);
        EndpointView b = await _controller.SetPortAsync("b", 2);
        SimulatedSwitch h1 = await _controller.ConnectSwitchAsync(1);
        SimulatedSwitch h2 = await _controller.ConnectSwitchAsync(2);
        await _controller.WaitForHostStateAsync("h1", "connected");
        await _controller.WaitForHostStateAsync("h2", "connected");
        return (h1, h2, a, b, c);
    }

    private async Task<DropView> BudgetDropAsync(string host, ulong packets)
    {
        DropView? found = null;
        await ControllerHarness.EventuallyAsync(
            async () => (found = (await DropsAsync()).SingleOrDefault(d => d.Host == host && d.Reason == SwitchManager.PacketInBudgetDrop)) is { } d && d.Packets >= packets,
            $"{packets} packet-in-budget drops on {host}");
        Assert.Equal(packets, found!.Packets);
        return found;
    }

    private async Task<IReadOnlyList<DropView>> DropsAsync() => (await _controller.GetAsync<ListResponse<DropView>>("/v1/drops")).Items;

    private static MacAddress Mac(EndpointView endpoint) => MacAddress.Parse(endpoint.Mac);

    private static Ipv4Address Ip(EndpointView endpoint) => Ipv4Address.Parse(endpoint.Ip);
}
