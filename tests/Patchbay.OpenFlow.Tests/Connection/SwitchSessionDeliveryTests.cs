// Outbound back-pressure and inbound delivery: a switch that stops reading makes SendAsync wait instead
// of queueing without bound; asynchronous messages reach the handler in order, past a failing handler.
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Match;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionDeliveryTests
{
    [Fact]
    public async Task SendAsync_SwitchNotReading_StaysPendingAfterBoundedBacklogThenResumes()
    {
        // Without back-pressure every send would complete at once and 4096 x 16 KiB = 64 MiB would pile up
        // in the process; with it, sends stop completing once the socket buffers and the queue are full.
        const int Capacity = 4;
        const int Unbounded = 4096;
        await using StalledSwitch stalled = await StalledSwitch.StartAsync(Capacity, Unbounded);

        Assert.NotNull(stalled.Blocked);
        Assert.InRange(stalled.Accepted, Capacity, Unbounded - 1);
        // Reading resumes the flow: every accepted message arrives in order, then the one that waited.
        for (int xid = 1; xid <= stalled.Accepted + 1; xid++)
        {
            Assert.Equal((uint)xid, (await stalled.Client.ReceiveAsync<EchoRequest>()).Xid);
        }

        await stalled.Blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SwitchSessionState.Connected, stalled.Session.State);
    }

    [Fact]
    public async Task AsyncMessages_SentInOneBurst_DeliveredToHandlerInOrder()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, _) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        byte[] burst = Enumerable.Range(0, 50).SelectMany(i => PacketInWithCookie((ulong)i).ToBytes()).ToArray();
        await client.SendBytesAsync(burst);
        var cookies = new List<ulong>();
        for (int i = 0; i < 50; i++)
        {
            cookies.Add(Assert.IsType<PacketIn>(await harness.Handler.NextMessageAsync()).Cookie);
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (ulong)i), cookies);
    }

    [Fact]
    public async Task Handler_ThrowingOnOneMessage_StillGetsTheNextOnes()
    {
        var handler = new RecordingHandler
        {
            OnMessage = m => m is PacketIn { Cookie: 1 } ? throw new InvalidOperationException("handler bug") : ValueTask.CompletedTask,
        };
        await using var harness = ListenerHarness.Start(handler: handler);
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        for (ulong cookie = 0; cookie < 3; cookie++)
        {
            await client.SendAsync(PacketInWithCookie(cookie));
        }

        ulong first = Assert.IsType<PacketIn>(await handler.NextMessageAsync()).Cookie;
        ulong second = Assert.IsType<PacketIn>(await handler.NextMessageAsync()).Cookie;

        Assert.Equal([0UL, 2UL], [first, second]);
        Assert.Equal(SwitchSessionState.Connected, session.State);
    }

    private static PacketIn PacketInWithCookie(ulong cookie) =>
        new(OfpConstants.NoBuffer, 4, PacketInReason.NoMatch, 20, cookie, OfpMatch.Empty, new byte[] { 1, 2, 3, 4 });
}
