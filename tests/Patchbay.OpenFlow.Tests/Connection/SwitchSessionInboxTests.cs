// A PACKET_IN flood against a handler that lags: the session keeps reading (so replies to the controller's own
// requests still arrive), keeps only the newest HandlerQueueCapacity PACKET_INs, discards the oldest and tells
// the handler, and never discards any other kind of message or changes the order of what it keeps.
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionInboxTests
{
    private const int Capacity = 4;

    [Fact]
    public async Task PacketInFlood_HandlerStuck_BarrierReplyStillReadAndOldestPacketInsDiscarded()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RecordingHandler handler = StuckOnCookieZero(gate, entered);
        await using var harness = ListenerHarness.Start(options: ListenerHarness.QuietOptions with { HandlerQueueCapacity = Capacity }, handler: handler);
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        await client.SendAsync(PacketInWithCookie(0));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await client.SendBytesAsync(Enumerable.Range(1, 99).SelectMany(i => PacketInWithCookie((ulong)i).ToBytes()).ToArray());
        Task barrier = session.BarrierAsync();
        BarrierRequest request = await client.ReceiveAsync<BarrierRequest>();
        await client.SendAsync(new BarrierReply { Xid = request.Xid });

        // With a read loop waiting for queue space, the reply would sit unread behind the flood until the session's
        // request timeout (5 s) failed the barrier: it fails within this wait too.
        await barrier.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(99 - Capacity, session.PacketInsDiscarded);
        Assert.Equal(Enumerable.Range(1, 99 - Capacity).Select(i => (ulong)i), handler.Discarded.Select(p => p.Cookie));

        gate.SetResult();
        var handled = new List<ulong>();
        for (int i = 0; i < 1 + Capacity; i++)
        {
            handled.Add(Assert.IsType<PacketIn>(await handler.NextMessageAsync()).Cookie);
        }

        Assert.Equal([0UL, 96UL, 97UL, 98UL, 99UL], handled);
        Assert.Equal(SwitchSessionState.Connected, session.State);
    }

    [Fact]
    public async Task PacketInFlood_OtherMessagesBetween_AllKeptInArrivalOrder()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RecordingHandler handler = StuckOnCookieZero(gate, entered);
        await using var harness = ListenerHarness.Start(options: ListenerHarness.QuietOptions with { HandlerQueueCapacity = Capacity }, handler: handler);
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        await client.SendAsync(PacketInWithCookie(0));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // FLOW_REMOVED 1001, PACKET_INs 1..10, FLOW_REMOVED 1002, PACKET_INs 11..20: only PACKET_INs may give way.
        var burst = new List<byte>();
        burst.AddRange(new FlowRemoved { Cookie = 1001 }.ToBytes());
        burst.AddRange(Enumerable.Range(1, 10).SelectMany(i => PacketInWithCookie((ulong)i).ToBytes()));
        burst.AddRange(new FlowRemoved { Cookie = 1002 }.ToBytes());
        burst.AddRange(Enumerable.Range(11, 10).SelectMany(i => PacketInWithCookie((ulong)i).ToBytes()));
        await client.SendBytesAsync(burst.ToArray());
        await RoundTripAsync(client, session);

        gate.SetResult();
        var handled = new List<string>();
        for (int i = 0; i < 1 + 2 + Capacity; i++)
        {
            handled.Add((await handler.NextMessageAsync()) switch
            {
                PacketIn p => $"in {p.Cookie}",
                FlowRemoved r => $"removed {r.Cookie}",
                OfpMessage other => other.Type.ToString(),
            });
        }

        Assert.Equal(["in 0", "removed 1001", "removed 1002", "in 17", "in 18", "in 19", "in 20"], handled);
        Assert.Equal(20 - Capacity, session.PacketInsDiscarded);
    }

    [Fact]
    public async Task HandlerKeepsUp_NothingDiscarded()
    {
        await using var harness = ListenerHarness.Start(options: ListenerHarness.QuietOptions with { HandlerQueueCapacity = Capacity });
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        for (ulong cookie = 0; cookie < 3 * Capacity; cookie++)
        {
            await client.SendAsync(PacketInWithCookie(cookie));
            Assert.Equal(cookie, Assert.IsType<PacketIn>(await harness.Handler.NextMessageAsync()).Cookie);
        }

        Assert.Equal(0, session.PacketInsDiscarded);
        Assert.Empty(harness.Handler.Discarded);
    }

    // Every frame before the reply has been through the read loop once the reply is claimed.
    private static async Task RoundTripAsync(FakeSwitchClient client, SwitchSession session)
    {
        Task barrier = session.BarrierAsync();
        BarrierRequest request = await client.ReceiveAsync<BarrierRequest>();
        await client.SendAsync(new BarrierReply { Xid = request.Xid });
        await barrier.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static RecordingHandler StuckOnCookieZero(TaskCompletionSource gate, TaskCompletionSource entered) => new()
    {
        OnMessage = async m =>
        {
            if (m is PacketIn { Cookie: 0 })
            {
                entered.SetResult();
                await gate.Task;
            }
        },
    };

    private static PacketIn PacketInWithCookie(ulong cookie) =>
        new(OfpConstants.NoBuffer, 4, PacketInReason.NoMatch, 20, cookie, OfpMatch.Empty, new byte[] { 1, 2, 3, 4 });
}
