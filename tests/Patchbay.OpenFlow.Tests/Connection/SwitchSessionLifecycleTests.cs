// Closing from every side: the handler closing its own session, a session disposed before it ran, and
// option values the session refuses.
using Patchbay.OpenFlow.Connection;
using Patchbay.Testing.OpenFlow;

namespace Patchbay.OpenFlow.Tests.Connection;

public sealed class SwitchSessionLifecycleTests
{
    [Fact]
    public async Task CloseAsync_FromOwnHandler_ClosesWithoutDeadlock()
    {
        var handler = new ClosingHandler();
        await using var listener = new OpenFlowListener([OpenFlowEndpoint.Parse("tcp:127.0.0.1:0")], handler, ListenerHarness.QuietOptions);
        listener.Start();
        await using FakeSwitchClient client = await FakeSwitchClient.ConnectAsync(listener.Endpoints[0]);

        await client.HandshakeAsync(3);
        SwitchSessionClosed closed = await handler.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SessionCloseReason.Local, closed.Reason);
        Assert.True(handler.CloseReturnedInOnConnected);
        Assert.True(await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task DisposeAsync_NeverRun_ClosesTheStreamAndCompletesClosed()
    {
        var stream = new MemoryStream();
        var session = new SwitchSession(stream, "memory", new RecordingHandler());

        await session.DisposeAsync();

        Assert.Equal(SwitchSessionState.Closed, session.State);
        Assert.Equal(SessionCloseReason.Local, (await session.Closed).Reason);
        Assert.False(stream.CanRead);
        await Assert.ThrowsAsync<SwitchSessionClosedException>(() => session.BarrierAsync());
    }

    public static TheoryData<SwitchSessionOptions> InvalidOptions() =>
    [
        SwitchSessionOptions.Default with { EchoInterval = TimeSpan.Zero },
        SwitchSessionOptions.Default with { DeadAfter = TimeSpan.FromSeconds(-1) },
        SwitchSessionOptions.Default with { RequestTimeout = TimeSpan.Zero },
        SwitchSessionOptions.Default with { HandshakeTimeout = TimeSpan.Zero },
        SwitchSessionOptions.Default with { SendQueueCapacity = 0 },
        SwitchSessionOptions.Default with { HandlerQueueCapacity = 0 },
        SwitchSessionOptions.Default with { FlushThreshold = 0 },
    ];

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOptions_ThrowsArgumentOutOfRange(SwitchSessionOptions options)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SwitchSession(new MemoryStream(), "memory", new RecordingHandler(), options));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenFlowListener([OpenFlowEndpoint.Parse("tcp:127.0.0.1:0")], new RecordingHandler(), options));
    }

    /// <summary>Closes every session as soon as it connects, and calls CloseAsync again when told it closed.</summary>
    private sealed class ClosingHandler : IOpenFlowHandler
    {
        public TaskCompletionSource<SwitchSessionClosed> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CloseReturnedInOnConnected { get; private set; }

        public async ValueTask OnConnectedAsync(SwitchSession session, CancellationToken cancellationToken)
        {
            await session.CloseAsync();
            CloseReturnedInOnConnected = true;
        }

        public ValueTask OnMessageAsync(SwitchSession session, OfpMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask OnClosedAsync(SwitchSession session, SwitchSessionClosed closed)
        {
            await session.CloseAsync();
            Closed.TrySetResult(closed);
        }
    }
}
