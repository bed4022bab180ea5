// Shared barriers (JoinBarrierAsync): concurrent callers share OFPT_BARRIER_REQUESTs, each barrier follows every
// message its joiners queued before joining, and a reply, an ERROR, a close or a timeout ends all its joiners.
// Also the send queue's bound: a sender waiting for room fails when the session closes.
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionBarrierTests
{
    [Fact]
    public async Task JoinBarrierAsync_ManyJoiners_EachAnsweredByABarrierAfterItsMessage()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        const int Joiners = 200;

        // Each joiner queues its own message (an echo request carrying its number as the xid), then joins.
        var joined = new Task[Joiners];
        for (int i = 0; i < Joiners; i++)
        {
            await session.SendAsync(new EchoRequest { Xid = (uint)(i + 1) });
            joined[i] = session.JoinBarrierAsync();
        }

        // Answer the barriers one at a time: a joiner completed by a barrier must have had its message written before it.
        // The loop ends when every joiner is done, however late their completions run: once the last barrier is
        // answered the session has nothing more to send, so a receive would only wait out its timeout.
        var written = new HashSet<uint>();
        int barriers = 0;
        Task allJoined = Task.WhenAll(joined);
        while (true)
        {
            Task<OfpMessage> receiving = client.ReceiveAsync();
            if (await Task.WhenAny(receiving, allJoined) != receiving)
            {
                break;
            }

            OfpMessage message = await receiving;
            if (message is EchoRequest echo)
            {
                written.Add(echo.Xid);
                continue;
            }

            BarrierRequest barrier = Assert.IsType<BarrierRequest>(message);
            barriers++;
            await client.SendAsync(new BarrierReply { Xid = barrier.Xid });
            await Task.WhenAny(Task.WhenAll(joined.Where(t => !t.IsCompleted)), Task.Delay(200));
            for (int i = 0; i < Joiners; i++)
            {
                if (joined[i].IsCompletedSuccessfully)
                {
                    Assert.Contains((uint)(i + 1), written);
                }
            }
        }

        // How many joiners share a barrier depends on how fast the write loop runs against this loop; that
        // joiners do share one is the next test's, where the loop is held.
        await allJoined;
        Assert.Equal(Joiners, written.Count);
        Assert.InRange(barriers, 1, Joiners);
    }

    [Fact]
    public async Task JoinBarrierAsync_JoinersWhileTheWriteLoopIsBusy_ShareOneBarrierAfterEverythingQueued()
    {
        const int Joiners = 50;

        // The switch does not read: the write loop waits on a full socket, so it cannot take a barrier yet.
        await using StalledSwitch stalled = await StalledSwitch.StartAsync(sendQueueCapacity: 4, limit: 4096);
        FakeSwitchClient client = stalled.Client;
        Assert.NotNull(stalled.Blocked);
        Task[] joined = [.. Enumerable.Range(0, Joiners).Select(_ => stalled.Session.JoinBarrierAsync())];

        // The switch reads again: every echo accepted before the joins, then one barrier for all of them.
        int echoesBefore = 0;
        BarrierRequest? barrier = null;
        while (barrier is null)
        {
            OfpMessage message = await client.ReceiveAsync(TimeSpan.FromSeconds(10));
            if (message is EchoRequest)
            {
                echoesBefore++;
            }
            else
            {
                barrier = Assert.IsType<BarrierRequest>(message);
            }
        }

        await client.SendAsync(new BarrierReply { Xid = barrier.Xid });
        await Task.WhenAll(joined).WaitAsync(TimeSpan.FromSeconds(10));
        await stalled.Blocked.WaitAsync(TimeSpan.FromSeconds(10));

        // A marker sent now is the next thing after the blocked echo (if it came after the barrier): no second barrier.
        const uint Marker = 0xfeed;
        await stalled.Session.SendAsync(new EchoRequest { Xid = Marker });
        var after = new List<OfpMessage>();
        while (after.Count == 0 || after[^1] is not EchoRequest { Xid: Marker })
        {
            after.Add(await client.ReceiveAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.InRange(echoesBefore, stalled.Accepted, stalled.Accepted + 1);
        Assert.All(after, message => Assert.IsType<EchoRequest>(message));
        Assert.Equal(stalled.Accepted + 1 + 1, echoesBefore + after.Count);
    }

    [Fact]
    public async Task JoinBarrierAsync_SwitchAnswersWithError_EveryJoinerFails()
    {
        // Joined while the write loop waits on a switch that does not read, so both share one barrier (were the loop free,
        // it could send the first joiner's barrier before the second joined, and the second would wait on another).
        await using StalledSwitch stalled = await StalledSwitch.StartAsync(sendQueueCapacity: 4, limit: 4096);
        Assert.NotNull(stalled.Blocked);
        Task first = stalled.Session.JoinBarrierAsync();
        Task second = stalled.Session.JoinBarrierAsync();

        // The switch reads again: the echoes accepted before the joins, then the barrier.
        OfpMessage message = await stalled.Client.ReceiveAsync(TimeSpan.FromSeconds(10));
        while (message is EchoRequest)
        {
            message = await stalled.Client.ReceiveAsync(TimeSpan.FromSeconds(10));
        }

        BarrierRequest barrier = Assert.IsType<BarrierRequest>(message);
        await stalled.Client.SendAsync(new ErrorMsg(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadType, new byte[8]) { Xid = barrier.Xid });

        await Assert.ThrowsAsync<OpenFlowErrorException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<OpenFlowErrorException>(() => second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SwitchSessionState.Connected, stalled.Session.State);
    }

    [Fact]
    public async Task JoinBarrierAsync_SwitchDisconnectsBeforeReply_FailsWithSessionClosed()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);

        Task joined = session.JoinBarrierAsync();
        await client.ReceiveAsync<BarrierRequest>();
        await client.DisposeAsync();

        SwitchSessionClosedException e = await Assert.ThrowsAsync<SwitchSessionClosedException>(() => joined);
        Assert.Equal(SessionCloseReason.PeerClosed, e.Closed!.Reason);
        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => session.JoinBarrierAsync());
    }

    [Fact]
    public async Task JoinBarrierAsync_NoReply_TimesOutAndTheNextBarrierIsAnswered()
    {
        SwitchSessionOptions options = ListenerHarness.QuietOptions with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        await using var harness = ListenerHarness.Start(options: options);
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        Task unanswered = session.JoinBarrierAsync();
        BarrierRequest ignored = await client.ReceiveAsync<BarrierRequest>();
        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() => unanswered);
        Task next = session.JoinBarrierAsync();
        BarrierRequest answered = await client.ReceiveAsync<BarrierRequest>();
        await client.SendAsync(new BarrierReply { Xid = answered.Xid });
        await next.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains($"xid {ignored.Xid}", e.Message, StringComparison.Ordinal);
        Assert.NotEqual(ignored.Xid, answered.Xid);
    }

    [Fact]
    public async Task SendAsync_WaitingForRoomWhenSessionCloses_FailsWithSessionClosed()
    {
        // The switch does not read: the socket buffers fill, then the queue, then a send waits.
        await using StalledSwitch stalled = await StalledSwitch.StartAsync(sendQueueCapacity: 2, limit: 4096);
        Task? waiting = stalled.Blocked;

        Assert.NotNull(waiting);
        Task closing = stalled.Session.CloseAsync();
        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await closing.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
