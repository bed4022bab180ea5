// Request/reply correlation by xid: out-of-order replies, multipart over MORE, barrier, ERROR replies,
// timeouts, and requests pending when the session closes.
using System.Text;
using Patchbay.OpenFlow.Connection;
using Patchbay.OpenFlow.Messages;
using Patchbay.OpenFlow.Multipart;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionRequestTests
{
    [Fact]
    public async Task RequestAsync_RepliesOutOfOrder_EachRequestGetsItsOwnReply()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        Task<EchoReply> first = session.RequestAsync<EchoReply>(new EchoRequest(Encoding.ASCII.GetBytes("first")));
        Task<EchoReply> second = session.RequestAsync<EchoReply>(new EchoRequest(Encoding.ASCII.GetBytes("second")));
        EchoRequest a = await client.ReceiveAsync<EchoRequest>();
        EchoRequest b = await client.ReceiveAsync<EchoRequest>();
        await client.SendAsync(new EchoReply(b.Data) { Xid = b.Xid });
        await client.SendAsync(new EchoReply(a.Data) { Xid = a.Xid });

        Assert.NotEqual(a.Xid, b.Xid);
        Assert.Equal("first", Encoding.ASCII.GetString((await first).Data.Span));
        Assert.Equal("second", Encoding.ASCII.GetString((await second).Data.Span));
    }

    [Fact]
    public async Task MultipartAsync_ReplyInThreeParts_CompletesOnlyWithTheLastPart()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        TableStatsReply[] parts =
        [
            new([new TableStats(0, 1, 10, 5)]),
            new([new TableStats(1, 2, 20, 6), new TableStats(2, 3, 30, 7)]),
            new([new TableStats(3, 4, 40, 8)]),
        ];

        Task<IReadOnlyList<MultipartReply>> reply = session.MultipartAsync(new TableStatsRequest());
        MultipartRequest request = await client.ReceiveAsync<MultipartRequest>();
        await client.SendMultipartAsync(request.Xid, parts[..2], final: false);
        await AnswerBarrierAsync(session, client);
        bool completeBeforeLastPart = reply.IsCompleted;
        await client.SendMultipartAsync(request.Xid, parts[2..]);
        IReadOnlyList<MultipartReply> received = await reply;

        Assert.Equal(MultipartType.Table, request.MultipartType);
        Assert.False(completeBeforeLastPart);
        Assert.Equal(3, received.Count);
        Assert.Equal([MultipartReplyFlags.More, MultipartReplyFlags.More, MultipartReplyFlags.None], received.Select(p => p.Flags));
        var combined = (TableStatsReply)MultipartReply.Combine(received);
        Assert.Equal([0, 1, 2, 3], combined.Entries.Select(e => (int)e.TableId));
    }

    [Fact]
    public async Task BarrierAsync_ReplyWithOtherXid_StaysPendingUntilItsOwnReply()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        Task barrier = session.BarrierAsync();
        BarrierRequest request = await client.ReceiveAsync<BarrierRequest>();
        await client.SendAsync(new BarrierReply { Xid = request.Xid + 1000 });
        OfpMessage stray = await harness.Handler.NextMessageAsync();
        bool completedByStray = barrier.IsCompleted;
        await client.SendAsync(new BarrierReply { Xid = request.Xid });
        await barrier.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(completedByStray);
        Assert.Equal(request.Xid + 1000, stray.Xid);
    }

    [Fact]
    public async Task RequestAsync_ErrorReply_FailsWithOpenFlowErrorException()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        Task<BarrierReply> barrier = session.RequestAsync<BarrierReply>(new BarrierRequest());
        byte[] sent = await client.ReceiveFrameAsync();
        uint xid = OfpHeader.Read(sent).Xid;
        await client.SendAsync(new ErrorMsg(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadType, sent) { Xid = xid });
        OpenFlowErrorException e = await Assert.ThrowsAsync<OpenFlowErrorException>(() => barrier);

        Assert.Equal(OfpType.BarrierRequest, e.RequestType);
        Assert.Equal(OfpErrorType.BadRequest, e.Error!.ErrorType);
        Assert.Equal((ushort)BadRequestCode.BadType, e.Error.Code);
        Assert.Equal(sent, e.Error.Data.ToArray());
        Assert.Equal(SwitchSessionState.Connected, session.State);
    }

    [Fact]
    public async Task MultipartAsync_ErrorReply_FailsWithOpenFlowErrorException()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        Task<IReadOnlyList<MultipartReply>> reply = session.MultipartAsync(new TableStatsRequest());
        MultipartRequest request = await client.ReceiveAsync<MultipartRequest>();
        await client.SendAsync(new ErrorMsg(OfpErrorType.BadRequest, (ushort)BadRequestCode.BadMultipart, ReadOnlyMemory<byte>.Empty) { Xid = request.Xid });
        OpenFlowErrorException e = await Assert.ThrowsAsync<OpenFlowErrorException>(() => reply);

        Assert.Equal((ushort)BadRequestCode.BadMultipart, e.Error!.Code);
    }

    [Fact]
    public async Task RequestAsync_NoReply_TimesOutAndSessionStaysConnected()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(
            () => session.RequestAsync<BarrierReply>(new BarrierRequest(), TimeSpan.FromMilliseconds(200)));

        Assert.Contains("BarrierRequest", e.Message, StringComparison.Ordinal);
        Assert.Equal(SwitchSessionState.Connected, session.State);
        await AnswerBarrierAsync(session, client, skip: 1);
    }

    [Fact]
    public async Task RequestAsync_SwitchDisconnects_PendingRequestFailsWithSessionClosed()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);

        Task barrier = session.BarrierAsync();
        await client.ReceiveAsync<BarrierRequest>();
        await client.DisposeAsync();
        SwitchSessionClosedException e = await Assert.ThrowsAsync<SwitchSessionClosedException>(() => barrier);

        Assert.Equal(SessionCloseReason.PeerClosed, e.Closed!.Reason);
        Assert.Equal(SessionCloseReason.PeerClosed, (await session.Closed).Reason);
        Assert.Equal(SwitchSessionState.Closed, session.State);
    }

    [Fact]
    public async Task SendAsync_AfterClose_ThrowsSessionClosed()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;

        await session.CloseAsync();

        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => session.SendAsync(new BarrierRequest()).AsTask());
        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => session.BarrierAsync());
        Assert.Equal(SessionCloseReason.Local, (await session.Closed).Reason);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task RequestAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var harness = ListenerHarness.Start();
        (FakeSwitchClient client, SwitchSession session) = await harness.ConnectedAsync(1);
        await using FakeSwitchClient closesClient = client;
        using var cts = new CancellationTokenSource();

        Task barrier = session.BarrierAsync(cts.Token);
        await client.ReceiveAsync<BarrierRequest>();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => barrier);
        Assert.Equal(SwitchSessionState.Connected, session.State);
    }

    /// <summary>Round-trips a barrier, which proves the session has processed everything the switch sent before.</summary>
    private static async Task AnswerBarrierAsync(SwitchSession session, FakeSwitchClient client, int skip = 0)
    {
        Task barrier = session.BarrierAsync();
        for (int i = 0; i < skip; i++)
        {
            await client.ReceiveAsync();
        }

        BarrierRequest request = await client.ReceiveAsync<BarrierRequest>();
        await client.SendAsync(new BarrierReply { Xid = request.Xid });
        await barrier.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
